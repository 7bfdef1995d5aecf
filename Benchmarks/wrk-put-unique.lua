-- wrk script: PUT of a fresh key per request, /v2/keys/fill/<run>-<thread>-<n>, to fill a tree quickly.
-- usage: wrk ... -s wrk-put-unique.lua URL -- <run id>   (a different run id per wrk invocation)
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("tid", threads)
end
function init(args)
    run = args[1] or "0"
    counter = 0
end
function request()
    counter = counter + 1
    return wrk.format("PUT", "/v2/keys/fill/" .. run .. "-" .. tid .. "-" .. counter,
        { ["Content-Type"] = "application/x-www-form-urlencoded" }, "value=v" .. counter)
end
