fn main() {
    eprintln!("rackplan: not implemented yet");
    std::process::exit(2);
}
