#!/usr/bin/env python3
"""Writes JSONata versions of ../shared/bench/workloads/{pass-chain-1000,map-10000}.json
into workloads/, with the same input, expected output and states entered, so their
transitions/s can be set beside the JSONPath figures (`stepwise bench`)."""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
shared = os.path.join(here, "..", "..", "shared", "bench", "workloads")


def load(name):
    with open(os.path.join(shared, name + ".json")) as f:
        return json.load(f)


def pass_chain():
    w = load("pass-chain-1000")
    states = {}
    for i in range(1000):
        name = f"P{i:04d}"
        state = {"Type": "Pass",
                 "Output": {"n": "{% $states.input.n + 1 %}", "tag": "{% $states.input.tag %}"}}
        if i == 999:
            state["End"] = True
        else:
            state["Next"] = f"P{i + 1:04d}"
        states[name] = state
    w["name"] = "pass-chain-1000-jsonata"
    w["description"] = "pass-chain-1000 written in JSONata: Output computes n + 1 and copies tag."
    w["definition"] = {"Comment": "pass-chain-1000-jsonata", "QueryLanguage": "JSONata",
                       "StartAt": "P0000", "States": states}
    return w


def map_10000():
    w = load("map-10000")
    w["name"] = "map-10000-jsonata"
    w["description"] = "map-10000 written in JSONata: Items, ItemSelector, Output and Condition."
    w["definition"] = {
        "Comment": "map-10000-jsonata", "QueryLanguage": "JSONata", "StartAt": "Fan",
        "States": {"Fan": {
            "Type": "Map", "Items": "{% $states.input.items %}", "MaxConcurrency": 0,
            "ItemSelector": {"v": "{% $states.context.Map.Item.Value %}", "k": "{% $states.input.k %}"},
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Add",
                "States": {
                    "Add": {"Type": "Pass", "Output": {"w": "{% $states.input.v + $states.input.k %}"},
                            "Next": "Classify"},
                    "Classify": {"Type": "Choice",
                                 "Choices": [{"Condition": "{% $states.input.w >= 5000 %}", "Next": "Big"}],
                                 "Default": "Small"},
                    "Big": {"Type": "Pass", "Output": "{% $states.input.w %}", "End": True},
                    "Small": {"Type": "Pass", "Output": {"small": "{% $states.input.w %}"}, "End": True},
                }},
            "End": True}}}
    return w


def main():
    os.makedirs(os.path.join(here, "workloads"), exist_ok=True)
    for w in (pass_chain(), map_10000()):
        path = os.path.join(here, "workloads", w["name"] + ".json")
        with open(path, "w") as f:
            json.dump(w, f, separators=(",", ":"))
        print("wrote", os.path.relpath(path))


if __name__ == "__main__":
    sys.exit(main())
