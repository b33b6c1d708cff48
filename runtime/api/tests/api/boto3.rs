//! boto3 against the server: parsed responses, timestamps as datetimes, and
//! errors surfacing as `client.exceptions.<Code>`.

use crate::harness::{python, Server};

const DEFINITION: &str = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#;

fn script(body: &str) -> String {
    format!("DEFINITION = {DEFINITION:?}\nROLE = 'arn:aws:iam::123456789012:role/r'\n{body}")
}

#[test]
fn state_machine_and_execution_lifecycle() {
    let server = Server::start();
    let out = python(
        &server,
        &script(
            r#"
created = client.create_state_machine(name='orders', definition=DEFINITION, roleArn=ROLE,
                                      tags=[{'key': 'team', 'value': 'a'}])
arn = created['stateMachineArn']
assert arn == 'arn:aws:states:us-east-1:123456789012:stateMachine:orders', arn
assert isinstance(created['creationDate'], datetime.datetime), created

described = client.describe_state_machine(stateMachineArn=arn)
assert described['name'] == 'orders' and described['type'] == 'STANDARD', described
assert described['definition'] == DEFINITION
assert isinstance(described['creationDate'], datetime.datetime)
assert described['loggingConfiguration']['level'] == 'OFF'

listed = client.list_state_machines()['stateMachines']
assert [m['name'] for m in listed] == ['orders'], listed

updated = client.update_state_machine(stateMachineArn=arn, definition=DEFINITION)
assert isinstance(updated['updateDate'], datetime.datetime)

started = client.start_execution(stateMachineArn=arn, name='run-1', input='{"a": 1}')
assert started['executionArn'].endswith(':execution:orders:run-1'), started
assert isinstance(started['startDate'], datetime.datetime)
execution = client.describe_execution(executionArn=started['executionArn'])
assert execution['status'] == 'SUCCEEDED' and execution['output'] == '{"a": 1}', execution
assert isinstance(execution['stopDate'], datetime.datetime)
assert execution['stopDate'] >= execution['startDate']

client.start_execution(stateMachineArn=arn, name='run-2')
executions = client.list_executions(stateMachineArn=arn, statusFilter='SUCCEEDED')['executions']
assert [e['name'] for e in executions] == ['run-2', 'run-1'], executions
assert client.describe_execution(executionArn=executions[0]['executionArn'])['input'] == '{}'

events = client.get_execution_history(executionArn=started['executionArn'])['events']
assert [e['type'] for e in events] == ['ExecutionStarted', 'ExecutionSucceeded'], events
assert all(isinstance(e['timestamp'], datetime.datetime) for e in events)
assert events[0]['executionStartedEventDetails']['input'] == '{"a": 1}'
assert events[1]['previousEventId'] == 1
reverse = client.get_execution_history(executionArn=started['executionArn'], reverseOrder=True)['events']
assert reverse[0]['id'] == 2

for_execution = client.describe_state_machine_for_execution(executionArn=started['executionArn'])
assert for_execution['name'] == 'orders' and isinstance(for_execution['updateDate'], datetime.datetime)

waiting = client.start_execution(stateMachineArn=arn, input='{"waitForToken": true}')
stopped = client.stop_execution(executionArn=waiting['executionArn'], error='E', cause='C')
assert isinstance(stopped['stopDate'], datetime.datetime)
assert client.describe_execution(executionArn=waiting['executionArn'])['status'] == 'ABORTED'

assert client.validate_state_machine_definition(definition=DEFINITION)['result'] == 'OK'
bad = client.validate_state_machine_definition(definition='{}')
assert bad['result'] == 'FAIL' and bad['diagnostics'][0]['code'] == 'SCHEMA_VALIDATION_FAILED', bad

client.delete_state_machine(stateMachineArn=arn)
assert client.list_state_machines()['stateMachines'] == []
print('ok')
"#,
        ),
    );
    assert_eq!(out.trim(), "ok");
}

#[test]
fn errors_surface_as_modeled_exceptions() {
    let server = Server::start();
    let out = python(
        &server,
        &script(
            r#"
def expect(exception, call, **kwargs):
    try:
        call(**kwargs)
    except exception as e:
        return e.response['Error']['Message']
    raise AssertionError(f'{call.__name__} did not raise {exception.__name__}')

ex = client.exceptions
SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:'
message = expect(ex.InvalidArn, client.describe_state_machine, stateMachineArn='not-an-arn')
assert message == "Invalid Arn: 'Invalid ARN prefix: not-an-arn'", message
expect(ex.InvalidArn, client.describe_execution, executionArn=SM + 'orders')
expect(ex.StateMachineDoesNotExist, client.describe_state_machine, stateMachineArn=SM + 'missing')
expect(ex.StateMachineDoesNotExist, client.describe_state_machine,
       stateMachineArn='arn:aws:states:eu-west-1:123456789012:stateMachine:missing')
message = expect(ex.InvalidName, client.create_state_machine, name='bad name', definition=DEFINITION, roleArn=ROLE)
assert "'bad name'" in message, message
expect(ex.InvalidArn, client.create_state_machine, name='m', definition=DEFINITION, roleArn='role')
expect(ex.InvalidDefinition, client.create_state_machine, name='m', definition='{}', roleArn=ROLE)
arn = client.create_state_machine(name='m', definition=DEFINITION, roleArn=ROLE)['stateMachineArn']
expect(ex.StateMachineAlreadyExists, client.create_state_machine, name='m', definition=DEFINITION, roleArn=ROLE)
message = expect(ex.InvalidExecutionInput, client.start_execution, stateMachineArn=arn, input='{not json')
assert message.startswith("Invalid State Machine Execution Input at 'input': "), message
expect(ex.InvalidExecutionInput, client.start_execution, stateMachineArn=arn, input='"' + 'a' * 262143 + '"')
client.start_execution(stateMachineArn=arn, input='"' + 'a' * 262142 + '"')
client.start_execution(stateMachineArn=arn, name='once')
expect(ex.ExecutionAlreadyExists, client.start_execution, stateMachineArn=arn, name='once')
expect(ex.InvalidName, client.start_execution, stateMachineArn=arn, name='a*b')
expect(ex.ExecutionDoesNotExist, client.describe_execution,
       executionArn='arn:aws:states:us-east-1:123456789012:execution:m:nope')
expect(ex.MissingRequiredParameter, client.update_state_machine, stateMachineArn=arn)
expect(ex.TaskDoesNotExist, client.send_task_success, taskToken='token-nobody', output='{}')
expect(ex.InvalidOutput, client.send_task_success, taskToken='token-nobody', output='{')
expect(ex.InvalidToken, client.list_state_machines, nextToken='zzz')
expect(ex.ValidationException, client.list_executions)
expect(ex.ResourceNotFound, client.list_tags_for_resource, resourceArn=SM + 'ghost')

try:
    client.list_state_machine_versions(stateMachineArn=arn)
    raise AssertionError('versions are not supported')
except botocore.exceptions.ClientError as e:
    assert e.response['Error']['Code'] == 'UnsupportedOperation', e.response
    assert e.response['ResponseMetadata']['HTTPStatusCode'] == 400
    assert 'ListStateMachineVersions' in e.response['Error']['Message']
print('ok')
"#,
        ),
    );
    assert_eq!(out.trim(), "ok");
}

#[test]
fn sync_executions_tasks_activities_and_tags() {
    let server = Server::start();
    let out = python(
        &server,
        &script(
            r#"
express = client.create_state_machine(name='fast', definition=DEFINITION, roleArn=ROLE, type='EXPRESS')['stateMachineArn']
# botocore sends StartSyncExecution to the host 'sync-<endpoint host>' unless told not to.
sync_client = boto3.client('stepfunctions', endpoint_url=client.meta.endpoint_url, region_name='us-east-1',
    aws_access_key_id='x', aws_secret_access_key='x', config=Config(inject_host_prefix=False))
sync = sync_client.start_sync_execution(stateMachineArn=express, input='{"x": [1, 2]}', name='s1')
assert sync['status'] == 'SUCCEEDED' and json.loads(sync['output']) == {'x': [1, 2]}, sync
assert ':express:fast:s1:' in sync['executionArn'], sync
assert isinstance(sync['startDate'], datetime.datetime) and isinstance(sync['stopDate'], datetime.datetime)
assert sync['billingDetails']['billedMemoryUsedInMB'] == 64, sync
failed = sync_client.start_sync_execution(stateMachineArn=express, input='{"fail": 1}')
assert failed['status'] == 'FAILED' and failed['error'] == 'Boom' and 'output' not in failed, failed

standard = client.create_state_machine(name='slow', definition=DEFINITION, roleArn=ROLE)['stateMachineArn']
waiting = client.start_execution(stateMachineArn=standard, name='w', input='{"waitForToken": true}')['executionArn']
client.send_task_heartbeat(taskToken='token-w')
client.send_task_success(taskToken='token-w', output='{"done": true}')
done = client.describe_execution(executionArn=waiting)
assert done['status'] == 'SUCCEEDED' and done['output'] == '{"done": true}', done
try:
    client.send_task_heartbeat(taskToken='token-w')
    raise AssertionError('the task is over')
except client.exceptions.TaskTimedOut:
    pass
client.start_execution(stateMachineArn=standard, name='f', input='{"waitForToken": true}')
client.send_task_failure(taskToken='token-f', error='Nope', cause='because')

activity = client.create_activity(name='work', tags=[{'key': 'k', 'value': 'v'}])
assert activity['activityArn'] == 'arn:aws:states:us-east-1:123456789012:activity:work', activity
assert isinstance(activity['creationDate'], datetime.datetime)
assert client.describe_activity(activityArn=activity['activityArn'])['name'] == 'work'
assert [a['name'] for a in client.list_activities()['activities']] == ['work']
empty = client.get_activity_task(activityArn=activity['activityArn'], workerName='w1')
assert 'taskToken' not in empty, empty
client.start_execution(stateMachineArn=standard, name='a', input='{"activity": "work"}')
task = client.get_activity_task(activityArn=activity['activityArn'], workerName='w1')
assert task['taskToken'] == 'token-a' and json.loads(task['input']) == {'activity': 'work'}, task
client.send_task_success(taskToken=task['taskToken'], output='[]')
try:
    client.describe_activity(activityArn='arn:aws:states:us-east-1:123456789012:activity:nope')
    raise AssertionError('no such activity')
except client.exceptions.ActivityDoesNotExist:
    pass
client.delete_activity(activityArn=activity['activityArn'])
assert client.list_activities()['activities'] == []

client.tag_resource(resourceArn=standard, tags=[{'key': 'a', 'value': '1'}, {'key': 'b', 'value': '2'}])
client.untag_resource(resourceArn=standard, tagKeys=['a'])
assert client.list_tags_for_resource(resourceArn=standard)['tags'] == [{'key': 'b', 'value': '2'}]

for i in range(25):
    client.create_state_machine(name=f'm{i:02}', definition=DEFINITION, roleArn=ROLE)
pages = client.get_paginator('list_state_machines').paginate(PaginationConfig={'PageSize': 10})
names = [m['name'] for page in pages for m in page['stateMachines']]
assert len(names) == 27 and names == sorted(names), names
print('ok')
"#,
        ),
    );
    assert_eq!(out.trim(), "ok");
}

/// `Operation` lists exactly the operations of the botocore model boto3 uses.
#[test]
fn operations_match_the_botocore_model() {
    let server = Server::start();
    let out = python(
        &server,
        "print('\\n'.join(client.meta.service_model.operation_names))",
    );
    let mut model: Vec<&str> = out.lines().collect();
    model.sort_unstable();
    let mut ours: Vec<&str> = api::Operation::ALL.iter().map(|op| op.as_str()).collect();
    ours.sort_unstable();
    assert_eq!(ours, model);
}
