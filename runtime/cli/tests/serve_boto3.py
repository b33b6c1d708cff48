#!/usr/bin/env python3
"""Scenarios the `serve_boto3` tests run against a real `stepwise serve` with
boto3 (and urllib for Stepwise's own routes).

Usage: serve_boto3.py ENDPOINT SCENARIO [ARGS...]

Each scenario asserts what AWS Step Functions would do and exits non-zero with
a message on the first difference. Scenarios print what the Rust side needs
(e.g. an execution ARN) as `KEY=VALUE` lines.
"""
from __future__ import annotations

import json
import sys
import threading
import time
import urllib.error
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::123456789012:role/test"


def client(endpoint):
    # inject_host_prefix=False: StartSyncExecution would go to "sync-<host>".
    return boto3.client(
        "stepfunctions", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="x", aws_secret_access_key="x",
        config=Config(inject_host_prefix=False, retries={"max_attempts": 1},
                      read_timeout=90))


def expect_error(code, fn, *args, **kwargs):
    """Calls fn and checks it fails with the AWS error `code`; returns the message."""
    try:
        fn(*args, **kwargs)
    except ClientError as e:
        got = e.response["Error"]["Code"]
        assert got == code, f"expected {code}, got {got}: {e}"
        return e.response["Error"].get("Message", "")
    raise AssertionError(f"expected {code}, the call succeeded")


def wait_status(sfn, arn, timeout=20.0, until=None):
    """Polls DescribeExecution until it leaves RUNNING (or `until` holds)."""
    deadline = time.monotonic() + timeout
    while True:
        d = sfn.describe_execution(executionArn=arn)
        if (until(d) if until else d["status"] != "RUNNING"):
            return d
        assert time.monotonic() < deadline, f"still {d['status']} after {timeout}s: {arn}"
        time.sleep(0.1)


def history(sfn, arn, **kwargs):
    """Every event, following nextToken."""
    events, token = [], None
    while True:
        args = dict(executionArn=arn, **kwargs)
        if token:
            args["nextToken"] = token
        page = sfn.get_execution_history(**args)
        events += page["events"]
        token = page.get("nextToken")
        if not token:
            return events


def check_gap_free(events):
    ids = [e["id"] for e in events]
    assert ids == list(range(1, len(ids) + 1)), f"ids are not 1..n: {ids}"
    for e in events[1:]:
        assert 0 < e["previousEventId"] < e["id"], e
    assert events[0]["type"] == "ExecutionStarted", events[0]


def create(sfn, name, definition, **kwargs):
    return sfn.create_state_machine(name=name, definition=json.dumps(definition),
                                    roleArn=ROLE, **kwargs)["stateMachineArn"]


def http(endpoint, method, path, body=None):
    """A raw request: (status, headers, body bytes)."""
    req = urllib.request.Request(endpoint + path, data=body, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


PASS_CHOICE_WAIT = {
    "StartAt": "Init",
    "States": {
        "Init": {"Type": "Pass", "Result": {"n": 3}, "ResultPath": "$.init", "Next": "Pick"},
        "Pick": {"Type": "Choice",
                 "Choices": [{"Variable": "$.init.n", "NumericGreaterThan": 2, "Next": "Nap"}],
                 "Default": "Never"},
        "Never": {"Type": "Fail", "Error": "Wrong", "Cause": "the choice went wrong"},
        "Nap": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
        "Done": {"Type": "Pass", "Parameters": {"n.$": "$.init.n", "who.$": "$.who"}, "End": True},
    },
}


# ---------------------------------------------------------------------------
def machines(endpoint):
    sfn = client(endpoint)
    simple = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
    arn = create(sfn, "machine-a", simple, tags=[{"key": "team", "value": "core"}])
    assert arn == "arn:aws:states:us-east-1:123456789012:stateMachine:machine-a", arn
    # The same request again: the same machine (CreateStateMachine is idempotent).
    assert create(sfn, "machine-a", simple) == arn
    other = {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}
    expect_error("StateMachineAlreadyExists", create, sfn, "machine-a", other)
    msg = expect_error("InvalidDefinition", create, sfn, "bad",
                       {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}})
    assert "Invalid State Machine Definition" in msg and "/States/A/Next" in msg, msg
    expect_error("InvalidDefinition", sfn.create_state_machine, name="bad2",
                 definition="{not json", roleArn=ROLE)
    expect_error("InvalidName", create, sfn, "bad name", simple)

    d = sfn.describe_state_machine(stateMachineArn=arn)
    assert d["name"] == "machine-a" and d["type"] == "STANDARD" and d["status"] == "ACTIVE", d
    assert json.loads(d["definition"]) == simple and d["roleArn"] == ROLE, d
    rev = d["revisionId"]

    u = sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(other))
    assert u["revisionId"] != rev, u
    d = sfn.describe_state_machine(stateMachineArn=arn)
    assert json.loads(d["definition"]) == other and d["revisionId"] == u["revisionId"], d
    expect_error("InvalidDefinition", sfn.update_state_machine, stateMachineArn=arn,
                 definition="{}")
    expect_error("StateMachineDoesNotExist", sfn.update_state_machine,
                 stateMachineArn=arn + "-nope", definition=json.dumps(other))

    # Validation without creating.
    ok = sfn.validate_state_machine_definition(definition=json.dumps(simple))
    assert ok["result"] == "OK" and ok["diagnostics"] == [], ok
    bad = sfn.validate_state_machine_definition(
        definition=json.dumps({"StartAt": "X", "States": {"A": {"Type": "Pass", "End": True}}}))
    assert bad["result"] == "FAIL" and bad["diagnostics"], bad
    assert all(x["severity"] == "ERROR" for x in bad["diagnostics"]), bad

    # Listing, a page at a time.
    for name in ("machine-b", "machine-c"):
        create(sfn, name, simple, type="EXPRESS")
    names, token = [], None
    while True:
        page = sfn.list_state_machines(maxResults=2, **({"nextToken": token} if token else {}))
        assert len(page["stateMachines"]) <= 2, page
        names += [m["name"] for m in page["stateMachines"]]
        token = page.get("nextToken")
        if not token:
            break
    assert names == ["machine-a", "machine-b", "machine-c"], names
    expect_error("InvalidToken", sfn.list_state_machines, nextToken="zz-not-a-token")
    types = {m["name"]: m["type"] for m in sfn.list_state_machines()["stateMachines"]}
    assert types == {"machine-a": "STANDARD", "machine-b": "EXPRESS", "machine-c": "EXPRESS"}, types

    # Tags.
    tags = sfn.list_tags_for_resource(resourceArn=arn)["tags"]
    assert tags == [{"key": "team", "value": "core"}], tags
    sfn.tag_resource(resourceArn=arn, tags=[{"key": "env", "value": "test"},
                                            {"key": "team", "value": "platform"}])
    tags = {t["key"]: t["value"] for t in sfn.list_tags_for_resource(resourceArn=arn)["tags"]}
    assert tags == {"env": "test", "team": "platform"}, tags
    sfn.untag_resource(resourceArn=arn, tagKeys=["env", "absent"])
    tags = sfn.list_tags_for_resource(resourceArn=arn)["tags"]
    assert tags == [{"key": "team", "value": "platform"}], tags
    expect_error("TooManyTags", sfn.tag_resource, resourceArn=arn,
                 tags=[{"key": f"k{i}", "value": "v"} for i in range(50)])
    expect_error("ResourceNotFound", sfn.list_tags_for_resource, resourceArn=arn + "-nope")

    # Versions: published on create or update, run by their ARN.
    v = sfn.create_state_machine(name="versioned", definition=json.dumps(simple), roleArn=ROLE,
                                 publish=True, versionDescription="first")
    v1 = v["stateMachineVersionArn"]
    assert v1 == v["stateMachineArn"] + ":1", v
    v2 = sfn.update_state_machine(stateMachineArn=v["stateMachineArn"], publish=True,
                                  definition=json.dumps(other))["stateMachineVersionArn"]
    assert v2 == v["stateMachineArn"] + ":2", v2
    d = sfn.describe_state_machine(stateMachineArn=v1)
    assert json.loads(d["definition"]) == simple and d["description"] == "first", d
    ex = sfn.start_execution(stateMachineArn=v1, input='{"k": 1}')["executionArn"]
    d = wait_status(sfn, ex)
    assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == {"k": 1}, d
    assert d["stateMachineArn"] == v["stateMachineArn"] and d["stateMachineVersionArn"] == v1, d
    # Listed under the machine's own ARN and under its version's, not another's.
    for listed_by, expected in ((v["stateMachineArn"], [ex]), (v1, [ex]), (v2, [])):
        got = [e["executionArn"] for e in
               sfn.list_executions(stateMachineArn=listed_by)["executions"]]
        assert got == expected, (listed_by, got)
    expect_error("StateMachineDoesNotExist", sfn.describe_state_machine,
                 stateMachineArn=v["stateMachineArn"] + ":9")
    sfn.delete_state_machine(stateMachineArn=v["stateMachineArn"])

    # Deleting; deleting again is fine, as on AWS.
    sfn.delete_state_machine(stateMachineArn=arn)
    expect_error("StateMachineDoesNotExist", sfn.describe_state_machine, stateMachineArn=arn)
    sfn.delete_state_machine(stateMachineArn=arn)
    names = [m["name"] for m in sfn.list_state_machines()["stateMachines"]]
    assert names == ["machine-b", "machine-c"], names
    print("machines: ok")


# ---------------------------------------------------------------------------
def standard(endpoint):
    sfn = client(endpoint)
    arn = create(sfn, "flow", PASS_CHOICE_WAIT)
    start = sfn.start_execution(stateMachineArn=arn, name="run-1", input='{"who":"ada"}')
    ex = start["executionArn"]
    assert ex == "arn:aws:states:us-east-1:123456789012:execution:flow:run-1", ex
    # The same name and input while it runs: the same execution (idempotent).
    again = sfn.start_execution(stateMachineArn=arn, name="run-1", input='{"who":"ada"}')
    assert again["executionArn"] == ex and again["startDate"] == start["startDate"], again
    expect_error("ExecutionAlreadyExists", sfn.start_execution, stateMachineArn=arn,
                 name="run-1", input='{"who":"bob"}')
    running = sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]
    assert [e["executionArn"] for e in running] == [ex], running
    # Nothing is ever redriven.
    assert sfn.list_executions(stateMachineArn=arn, redriveFilter="REDRIVEN")["executions"] == []
    assert len(sfn.list_executions(stateMachineArn=arn, redriveFilter="NOT_REDRIVEN")["executions"]) == 1

    d = wait_status(sfn, ex)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"n": 3, "who": "ada"}, d
    assert json.loads(d["input"]) == {"who": "ada"} and d["name"] == "run-1", d
    assert d["stateMachineArn"] == arn and d["stopDate"] >= d["startDate"], d
    # Once it has ended, the name is taken whatever the input.
    expect_error("ExecutionAlreadyExists", sfn.start_execution, stateMachineArn=arn,
                 name="run-1", input='{"who":"ada"}')
    expect_error("ExecutionDoesNotExist", sfn.describe_execution, executionArn=ex + "-nope")
    expect_error("StateMachineDoesNotExist", sfn.start_execution, stateMachineArn=arn + "-nope")
    expect_error("InvalidExecutionInput", sfn.start_execution, stateMachineArn=arn, input="{")

    events = history(sfn, ex)
    check_gap_free(events)
    types = [e["type"] for e in events]
    assert types == [
        "ExecutionStarted",
        "PassStateEntered", "PassStateExited",
        "ChoiceStateEntered", "ChoiceStateExited",
        "WaitStateEntered", "WaitStateExited",
        "PassStateEntered", "PassStateExited",
        "ExecutionSucceeded",
    ], types
    assert json.loads(events[0]["executionStartedEventDetails"]["input"]) == {"who": "ada"}
    # A page at a time gives the same events; reverse order gives them backwards.
    paged = history(sfn, ex, maxResults=3)
    assert [e["id"] for e in paged] == [e["id"] for e in events], paged
    backwards = history(sfn, ex, reverseOrder=True, maxResults=4)
    assert [e["id"] for e in backwards] == [e["id"] for e in reversed(events)], backwards
    bare = history(sfn, ex, includeExecutionData=False)
    assert "input" not in bare[0]["executionStartedEventDetails"], bare[0]
    expect_error("InvalidToken", sfn.get_execution_history, executionArn=ex, nextToken="bogus")

    done = sfn.list_executions(stateMachineArn=arn, statusFilter="SUCCEEDED")["executions"]
    assert [e["name"] for e in done] == ["run-1"], done
    assert sfn.list_executions(stateMachineArn=arn, statusFilter="FAILED")["executions"] == []

    # The definition an execution runs stays its own after an update.
    sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(
        {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}))
    m = sfn.describe_state_machine_for_execution(executionArn=ex)
    assert json.loads(m["definition"]) == PASS_CHOICE_WAIT and m["name"] == "flow", m

    # A default name is a UUID.
    anon = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    assert len(anon.rsplit(":", 1)[1]) == 36, anon
    print("standard: ok")


# ---------------------------------------------------------------------------
def stop(endpoint):
    sfn = client(endpoint)
    arn = create(sfn, "sleeper", {"StartAt": "Long", "States": {
        "Long": {"Type": "Wait", "Seconds": 3600, "End": True}}})
    ex = sfn.start_execution(stateMachineArn=arn, name="nap")["executionArn"]
    assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"
    stopped = sfn.stop_execution(executionArn=ex, error="Manual", cause="stopped by a test")
    d = sfn.describe_execution(executionArn=ex)
    assert d["status"] == "ABORTED", d
    assert d["error"] == "Manual" and d["cause"] == "stopped by a test", d
    assert d["stopDate"] == stopped["stopDate"], (d, stopped)
    events = history(sfn, ex)
    check_gap_free(events)
    assert events[-1]["type"] == "ExecutionAborted", events[-1]
    expect_error("ExecutionDoesNotExist", sfn.stop_execution, executionArn=ex + "-nope")
    print("stop: ok")


# ---------------------------------------------------------------------------
def token_of(sfn, ex):
    """The task token the TaskScheduled event's parameters carry."""
    deadline = time.monotonic() + 10
    while True:
        for e in history(sfn, ex):
            if e["type"] == "TaskScheduled":
                details = e["taskScheduledEventDetails"]
                assert details["resource"] == "sendMessage.waitForTaskToken", details
                assert details["resourceType"] == "sqs", details
                return json.loads(details["parameters"])["MessageBody"]
        assert time.monotonic() < deadline, "no TaskScheduled event"
        time.sleep(0.1)


def callback(endpoint):
    sfn = client(endpoint)
    arn = create(sfn, "callback", {"StartAt": "Ask", "States": {"Ask": {
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                       "MessageBody.$": "$$.Task.Token"},
        "End": True}}})
    ex = sfn.start_execution(stateMachineArn=arn, name="ok")["executionArn"]
    token = token_of(sfn, ex)
    assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"
    sfn.send_task_heartbeat(taskToken=token)
    sfn.send_task_success(taskToken=token, output='{"approved": true}')
    d = wait_status(sfn, ex)
    assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == {"approved": True}, d
    check_gap_free(history(sfn, ex))
    # The token is spent; a made-up one is not a token at all.
    expect_error("TaskTimedOut", sfn.send_task_success, taskToken=token, output="{}")
    expect_error("InvalidToken", sfn.send_task_success, taskToken="bogus", output="{}")
    expect_error("InvalidToken", sfn.send_task_heartbeat, taskToken="bogus")
    expect_error("InvalidOutput", sfn.send_task_success, taskToken=token, output="{")

    ex = sfn.start_execution(stateMachineArn=arn, name="no")["executionArn"]
    token = token_of(sfn, ex)
    sfn.send_task_failure(taskToken=token, error="Rejected", cause="said no")
    d = wait_status(sfn, ex)
    assert d["status"] == "FAILED" and d["error"] == "Rejected" and d["cause"] == "said no", d
    print("callback: ok")


# ---------------------------------------------------------------------------
def activity(endpoint):
    sfn = client(endpoint)
    act = sfn.create_activity(name="reviewer", tags=[{"key": "a", "value": "1"}])
    act_arn = act["activityArn"]
    assert act_arn == "arn:aws:states:us-east-1:123456789012:activity:reviewer", act
    assert sfn.create_activity(name="reviewer")["activityArn"] == act_arn
    d = sfn.describe_activity(activityArn=act_arn)
    assert d["name"] == "reviewer", d
    assert [a["name"] for a in sfn.list_activities()["activities"]] == ["reviewer"]
    sfn.tag_resource(resourceArn=act_arn, tags=[{"key": "b", "value": "2"}])
    tags = {t["key"]: t["value"] for t in sfn.list_tags_for_resource(resourceArn=act_arn)["tags"]}
    assert tags == {"a": "1", "b": "2"}, tags

    arn = create(sfn, "uses-activity", {"StartAt": "Review", "States": {"Review": {
        "Type": "Task", "Resource": act_arn, "ResultPath": "$.review", "End": True}}})
    got = {}

    def worker():
        got.update(sfn.get_activity_task(activityArn=act_arn, workerName="w1"))

    thread = threading.Thread(target=worker)
    thread.start()
    ex = sfn.start_execution(stateMachineArn=arn, input='{"doc": 7}')["executionArn"]
    thread.join(timeout=60)
    assert not thread.is_alive(), "GetActivityTask did not return"
    assert got.get("taskToken"), got
    assert json.loads(got["input"]) == {"doc": 7}, got
    sfn.send_task_success(taskToken=got["taskToken"], output='{"ok": 1}')
    d = wait_status(sfn, ex)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"doc": 7, "review": {"ok": 1}}, d
    events = history(sfn, ex)
    types = [e["type"] for e in events]
    assert types == ["ExecutionStarted", "TaskStateEntered", "ActivityScheduled",
                     "ActivityStarted", "ActivitySucceeded", "TaskStateExited",
                     "ExecutionSucceeded"], types
    assert events[2]["activityScheduledEventDetails"]["resource"] == act_arn, events[2]
    assert json.loads(events[2]["activityScheduledEventDetails"]["input"]) == {"doc": 7}
    assert events[3]["activityStartedEventDetails"] == {"workerName": "w1"}, events[3]
    assert json.loads(events[4]["activitySucceededEventDetails"]["output"]) == {"ok": 1}

    # A worker that answers after TimeoutSeconds: the execution records
    # ActivityTimedOut and fails; the late answer gets TaskTimedOut.
    arn = create(sfn, "slow-activity", {"StartAt": "Review", "States": {"Review": {
        "Type": "Task", "Resource": act_arn, "TimeoutSeconds": 1, "End": True}}})
    ex = sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    task = sfn.get_activity_task(activityArn=act_arn, workerName="slow")
    assert task.get("taskToken"), task
    d = wait_status(sfn, ex)
    assert d["status"] == "FAILED" and d["error"] == "States.Timeout", d
    types = [e["type"] for e in history(sfn, ex)]
    assert types == ["ExecutionStarted", "TaskStateEntered", "ActivityScheduled",
                     "ActivityStarted", "ActivityTimedOut", "ExecutionFailed"], types
    expect_error("TaskTimedOut", sfn.send_task_success, taskToken=task["taskToken"], output="{}")

    missing = act_arn + "-nope"
    expect_error("ActivityDoesNotExist", sfn.get_activity_task, activityArn=missing)
    expect_error("ActivityDoesNotExist", sfn.describe_activity, activityArn=missing)
    sfn.delete_activity(activityArn=act_arn)
    expect_error("ActivityDoesNotExist", sfn.describe_activity, activityArn=act_arn)
    sfn.delete_activity(activityArn=act_arn)
    print("activity: ok")


# ---------------------------------------------------------------------------
def express(endpoint):
    sfn = client(endpoint)
    arn = create(sfn, "fast", {"StartAt": "A", "States": {"A": {
        "Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.a, $.b)"}, "End": True}}},
        type="EXPRESS")
    r = sfn.start_sync_execution(stateMachineArn=arn, name="s1", input='{"a": 2, "b": 3}')
    assert r["status"] == "SUCCEEDED" and json.loads(r["output"]) == {"sum": 5}, r
    assert r["executionArn"].startswith(
        "arn:aws:states:us-east-1:123456789012:express:fast:s1:"), r
    assert r["stopDate"] >= r["startDate"] and r["billingDetails"]["billedDurationInMilliseconds"] >= 100
    assert json.loads(r["input"]) == {"a": 2, "b": 3}, r

    failing = create(sfn, "fails", {"StartAt": "F", "States": {"F": {
        "Type": "Fail", "Error": "Boom", "Cause": "on purpose"}}}, type="EXPRESS")
    r = sfn.start_sync_execution(stateMachineArn=failing)
    assert r["status"] == "FAILED" and r["error"] == "Boom" and r["cause"] == "on purpose", r
    assert "output" not in r, r

    msg = expect_error("InvalidDefinition", create, sfn, "callback", {"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
              "Parameters": {"MessageBody.$": "$$.Task.Token"}, "End": True}}}, type="EXPRESS")
    assert "/States/A/Resource" in msg, msg

    std = create(sfn, "slow", {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}})
    expect_error("StateMachineTypeNotSupported", sfn.start_sync_execution, stateMachineArn=std)
    expect_error("StateMachineDoesNotExist", sfn.start_sync_execution,
                 stateMachineArn=arn + "-nope")
    # StartExecution of an Express machine runs it asynchronously; nothing is kept.
    ex = sfn.start_execution(stateMachineArn=arn, input='{"a": 1, "b": 1}')["executionArn"]
    assert ":express:fast:" in ex, ex
    expect_error("ExecutionDoesNotExist", sfn.describe_execution, executionArn=ex)
    expect_error("StateMachineTypeNotSupported", sfn.list_executions, stateMachineArn=arn)

    status, _, body = http(endpoint, "GET", "/metrics")
    text = body.decode()
    assert status == 200 and "stepwise_executions_started_total" in text, text
    started = [l for l in text.splitlines() if l.startswith("stepwise_executions_started_total ")]
    assert started and int(started[0].split()[1]) >= 3, started
    print("express: ok")


# ---------------------------------------------------------------------------
def modules(endpoint, guests):
    sfn = client(endpoint)
    with open(f"{guests}/bench-add-field.wasm", "rb") as f:
        wasm = f.read()
    status, _, body = http(endpoint, "PUT", "/modules/bench-add-field", wasm)
    assert status == 200, (status, body)
    v1 = json.loads(body)
    assert v1["name"] == "bench-add-field" and v1["version"] == 1 and v1["size"] == len(wasm), v1
    # The same bytes again: the same version.
    status, _, body = http(endpoint, "PUT", "/modules/bench-add-field", wasm)
    assert status == 200 and json.loads(body)["version"] == 1, body
    status, _, body = http(endpoint, "GET", "/modules")
    assert status == 200 and [m["name"] for m in json.loads(body)["modules"]] == [
        "bench-add-field"], body
    status, _, body = http(endpoint, "GET", "/modules/bench-add-field")
    assert status == 200 and [v["version"] for v in json.loads(body)["versions"]] == [1], body
    # Not a component: refused with the reason.
    for bad in ("not-wasm.wasm", "not-a-component.wasm"):
        with open(f"{guests}/{bad}", "rb") as f:
            status, _, body = http(endpoint, "PUT", "/modules/bad", f.read())
        err = json.loads(body)
        assert status == 400 and err["__type"] == "InvalidModule", (bad, status, body)
        assert "component" in err["message"], err
    status, _, _ = http(endpoint, "GET", "/modules/bad")
    assert status == 404, status

    definition = {"StartAt": "Add", "States": {"Add": {
        "Type": "Task", "Resource": "wasm:bench-add-field", "End": True}}}
    arn = create(sfn, "adder", definition)
    ex = sfn.start_execution(stateMachineArn=arn, input='{"payload": "x"}')["executionArn"]
    d = wait_status(sfn, ex, timeout=60)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"payload": "x", "hops": 1}, d
    types = [e["type"] for e in history(sfn, ex)]
    assert "TaskSucceeded" in types, types

    status, headers, body = http(endpoint, "POST", "/invoke/adder", b'{"hops": 41}')
    assert status == 200 and json.loads(body) == {"hops": 42}, (status, body)
    arn_header = {k.lower(): v for k, v in headers.items()}.get("x-stepwise-execution-arn", "")
    assert ":express:adder:" in arn_header, headers
    status, _, body = http(endpoint, "POST", "/invoke/adder", b"")
    assert status == 200 and json.loads(body) == {"hops": 1}, (status, body)
    # A task error: 502 with the task's error name.
    status, _, body = http(endpoint, "POST", "/invoke/adder", b'{"hops": "x"}')
    assert status == 502 and json.loads(body)["error"] == "Bench.InvalidHops", (status, body)
    status, _, body = http(endpoint, "POST", "/invoke/nope", b"{}")
    assert status == 404 and json.loads(body)["error"] == "StateMachineDoesNotExist", body

    # A running execution that will call the module keeps it from being deleted.
    waits = create(sfn, "waits-then-adds", {"StartAt": "Wait", "States": {
        "Wait": {"Type": "Wait", "Seconds": 3600, "Next": "Add"},
        "Add": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "bench-add-field", "Payload.$": "$"}, "End": True}}})
    parked = sfn.start_execution(stateMachineArn=waits)["executionArn"]
    status, _, body = http(endpoint, "DELETE", "/modules/bench-add-field")
    err = json.loads(body)
    assert status == 409 and err["__type"] == "ConflictException", (status, body)
    assert parked in err["message"], err
    sfn.stop_execution(executionArn=parked)
    status, _, _ = http(endpoint, "DELETE", "/modules/bench-add-field")
    assert status == 204, status
    status, _, _ = http(endpoint, "GET", "/modules/bench-add-field")
    assert status == 404, status
    status, _, _ = http(endpoint, "DELETE", "/modules/bench-add-field")
    assert status == 404, status
    # Without its module the task fails cleanly.
    status, _, body = http(endpoint, "POST", "/invoke/adder", b"{}")
    assert status == 500 and json.loads(body)["error"] == "States.TaskFailed", (status, body)
    print("modules: ok")


# ---------------------------------------------------------------------------
def restart_start(endpoint):
    sfn = client(endpoint)
    arn = create(sfn, "survivor", {"StartAt": "Before", "States": {
        "Before": {"Type": "Pass", "Result": "b", "ResultPath": "$.before", "Next": "Nap"},
        "Nap": {"Type": "Wait", "Seconds": 3, "Next": "After"},
        "After": {"Type": "Pass", "Result": "a", "ResultPath": "$.after", "End": True}}})
    ex = sfn.start_execution(stateMachineArn=arn, name="r1", input='{"x": 1}')["executionArn"]
    d = sfn.describe_execution(executionArn=ex)
    assert d["status"] == "RUNNING", d
    # An asynchronous Express execution, acknowledged, in its Wait at the kill.
    quick = create(sfn, "quick-survivor", {"StartAt": "Nap", "States": {
        "Nap": {"Type": "Wait", "Seconds": 3, "Next": "After"},
        "After": {"Type": "Pass", "End": True}}}, type="EXPRESS")
    sfn.start_execution(stateMachineArn=quick, input='{"x": 2}')
    # Tags changed after CreateActivity, stored with the activity.
    act = sfn.create_activity(name="tagged", tags=[{"key": "a", "value": "1"}])["activityArn"]
    sfn.tag_resource(resourceArn=act, tags=[{"key": "b", "value": "2"}])
    sfn.untag_resource(resourceArn=act, tagKeys=["a"])
    print(f"EXECUTION={ex}")


def restart_finish(endpoint, ex):
    sfn = client(endpoint)
    d = wait_status(sfn, ex, timeout=30)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"x": 1, "before": "b", "after": "a"}, d
    events = history(sfn, ex)
    check_gap_free(events)
    types = [e["type"] for e in events]
    assert types == ["ExecutionStarted", "PassStateEntered", "PassStateExited",
                     "WaitStateEntered", "WaitStateExited", "PassStateEntered",
                     "PassStateExited", "ExecutionSucceeded"], types
    act = "arn:aws:states:us-east-1:123456789012:activity:tagged"
    tags = sfn.list_tags_for_resource(resourceArn=act)["tags"]
    assert tags == [{"key": "b", "value": "2"}], tags
    # The Express start ran again after the restart: with the Standard one,
    # two executions succeeded in this process.
    deadline = time.monotonic() + 30
    while True:
        _, _, body = http(endpoint, "GET", "/metrics")
        line = [l for l in body.decode().splitlines()
                if l.startswith('stepwise_executions_finished_total{status="SUCCEEDED"}')]
        if line and int(line[0].split()[1]) >= 2:
            break
        assert time.monotonic() < deadline, line
        time.sleep(0.1)
    print("restart: ok")

# ---------------------------------------------------------------------------
def aws_details(endpoint):
    """Request ids, Express validation, versionDescription and logging rules,
    and history tokens bound to their execution and direction."""
    sfn = client(endpoint)
    simple = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}

    # Every reply of the AWS protocol has its own x-amzn-RequestId.
    ids = []
    for _ in range(3):
        r = sfn.list_state_machines()
        ids.append(r["ResponseMetadata"].get("RequestId"))
        assert r["ResponseMetadata"]["HTTPHeaders"].get("x-amzn-requestid") == ids[-1], r
    try:
        sfn.describe_state_machine(
            stateMachineArn="arn:aws:states:us-east-1:123456789012:stateMachine:absent")
        raise AssertionError("describing an absent machine succeeded")
    except ClientError as e:
        ids.append(e.response["ResponseMetadata"].get("RequestId"))
    assert all(i and len(i) == 36 and i.count("-") == 4 for i in ids), ids
    assert len(set(ids)) == len(ids), ids

    # Validation for EXPRESS applies what CreateStateMachine refuses for Express.
    token_task = {"StartAt": "A", "States": {"A": {
        "Type": "Task", "End": True,
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken"}}}
    std = sfn.validate_state_machine_definition(definition=json.dumps(token_task))
    assert std["result"] == "OK", std
    exp = sfn.validate_state_machine_definition(definition=json.dumps(token_task),
                                                type="EXPRESS")
    assert exp["result"] == "FAIL", exp
    [diag] = exp["diagnostics"]
    assert diag["severity"] == "ERROR" and diag["code"] == "SCHEMA_VALIDATION_FAILED", diag
    assert ".waitForTaskToken" in diag["message"], diag
    assert diag["location"] == "/States/A/Resource", diag
    expect_error("InvalidDefinition", create, sfn, "express-token", token_task, type="EXPRESS")
    activity = {"StartAt": "A", "States": {"A": {
        "Type": "Task", "End": True,
        "Resource": "arn:aws:states:us-east-1:123456789012:activity:worker"}}}
    exp = sfn.validate_state_machine_definition(definition=json.dumps(activity),
                                                type="EXPRESS")
    assert exp["result"] == "FAIL" and exp["diagnostics"][0]["severity"] == "ERROR", exp

    # versionDescription only with publish=true.
    expect_error("ValidationException", create, sfn, "described", simple,
                 versionDescription="v")
    expect_error("ValidationException", create, sfn, "described", simple,
                 versionDescription="v", publish=False)
    arn = create(sfn, "described", simple)
    expect_error("ValidationException", sfn.update_state_machine, stateMachineArn=arn,
                 definition=json.dumps(simple), versionDescription="v")
    # A log level other than OFF needs a destination.
    expect_error("InvalidLoggingConfiguration", create, sfn, "logged", simple,
                 loggingConfiguration={"level": "ALL"})
    expect_error("InvalidLoggingConfiguration", sfn.update_state_machine, stateMachineArn=arn,
                 loggingConfiguration={"level": "ERROR", "destinations": []})
    create(sfn, "logged", simple, loggingConfiguration={"level": "OFF"})

    # History tokens belong to one execution and one direction.
    one = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    two = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    for ex in (one, two):
        assert wait_status(sfn, ex)["status"] == "SUCCEEDED"
    page = sfn.get_execution_history(executionArn=one, maxResults=1)
    token = page["nextToken"]
    expect_error("InvalidToken", sfn.get_execution_history, executionArn=two,
                 maxResults=1, nextToken=token)
    expect_error("InvalidToken", sfn.get_execution_history, executionArn=one,
                 maxResults=1, nextToken=token, reverseOrder=True)
    nxt = sfn.get_execution_history(executionArn=one, maxResults=1, nextToken=token)
    assert nxt["events"][0]["id"] == 2, nxt
    back = sfn.get_execution_history(executionArn=one, maxResults=1, reverseOrder=True)
    expect_error("InvalidToken", sfn.get_execution_history, executionArn=one,
                 maxResults=1, nextToken=back["nextToken"])
    print("aws-details: ok")


SCENARIOS = {
    "machines": machines,
    "standard": standard,
    "stop": stop,
    "callback": callback,
    "activity": activity,
    "express": express,
    "modules": modules,
    "restart-start": restart_start,
    "restart-finish": restart_finish,
    "aws-details": aws_details,
}

if __name__ == "__main__":
    endpoint, name, *rest = sys.argv[1:]
    SCENARIOS[name](endpoint, *rest)
