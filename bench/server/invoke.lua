-- wrk script: POST /invoke/<machine> with a 1 KiB JSON object as the input.
-- usage: wrk -s invoke.lua http://HOST:PORT -- MACHINE_NAME
function init(args)
   local name = args[1] or "bench-invoke"
   local head = '{"order":{"id":"o-123","customer":"c-456"},"hops":0,"pad":"'
   local tail = '"}'
   wrk.body = head .. string.rep("x", 1024 - #head - #tail) .. tail
   wrk.method = "POST"
   wrk.path = "/invoke/" .. name
   wrk.headers["Content-Type"] = "application/json"
end
