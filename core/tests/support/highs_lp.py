"""Solve CPLEX LP files with HiGHS; print one line per file: `path status objective`.

Used by core/tests/advisor_extensive.rs (MODEL.md §9.4) as an independent solver. Exit code 3
when highspy is not installed (the test then says so loudly and skips).
"""
import sys

try:
    import highspy
except ImportError:
    sys.exit(3)

for path in sys.argv[1:]:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("primal_feasibility_tolerance", 1e-9)
    h.setOptionValue("dual_feasibility_tolerance", 1e-9)
    h.readModel(path)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    print(path, status.replace(" ", "_"), repr(h.getInfo().objective_function_value))
