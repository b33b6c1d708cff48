-- wrk script: StartExecution (AWS JSON protocol) of one state machine, unnamed
-- executions (the server names them), input "{}".
-- usage: wrk -s start.lua http://HOST:PORT -- STATE_MACHINE_ARN [RESPONSES_PER_THREAD]
-- With RESPONSES_PER_THREAD, each thread stops after that many responses (so
-- threads x that many executions are started, plus at most one per connection
-- in flight when a thread stops).
local limit = nil
local seen = 0
function init(args)
   wrk.method = "POST"
   wrk.path = "/"
   wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
   wrk.headers["X-Amz-Target"] = "AWSStepFunctions.StartExecution"
   wrk.body = '{"stateMachineArn":"' .. args[1] .. '","input":"{}"}'
   if args[2] then limit = tonumber(args[2]) end
end
function response(status, headers, body)
   seen = seen + 1
   if limit and seen >= limit then wrk.thread:stop() end
end
