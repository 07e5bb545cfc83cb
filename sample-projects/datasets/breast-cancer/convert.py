"""Makes breast-cancer.csv from the copy of the data that Debian's python3-sklearn package ships.

Run with Debian's Python:  /usr/bin/python3 convert.py
Values are copied as written in sklearn's file; only the header and the label column change.
"""
import csv
import os

from sklearn.datasets import load_breast_cancer

SOURCE = "/usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv"

names = load_breast_cancer()
with open(SOURCE, newline="") as f:
    rows = list(csv.reader(f))
# sklearn's first line is "569,30,malignant,benign": rows, features, then the class names by label value
count, features, *classes = rows[0]
assert int(features) == len(names.feature_names) and list(classes) == list(names.target_names)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "breast-cancer.csv")
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(list(names.feature_names) + ["diagnosis"])
    for r in rows[1:]:
        w.writerow(r[:-1] + [classes[int(r[-1])]])
assert len(rows) - 1 == int(count)
print("wrote", out, len(rows) - 1, "rows")
