-- wrk script: uncontended lock acquire+release cycles on Baton. Run with as many threads as connections
-- (-t N -c N): wrk's response() does not say which connection answered, so each thread owns one connection
-- and one lock, /mod/v2/lock/wrk-cycle-<thread>, and alternates POST ?ttl=60 with DELETE ?index=<held>.
local threads = 0

function setup(thread)
    thread:set("id", threads)
    threads = threads + 1
end

function init(args)
    path = "/mod/v2/lock/wrk-cycle-" .. id
    held = nil
    failures = 0
end

function request()
    if held then
        return wrk.format("DELETE", path .. "?index=" .. held)
    end
    return wrk.format("POST", path .. "?ttl=60")
end

function response(status, headers, body)
    if held then
        held = nil
    elseif status == 200 then
        held = body
    end
    if status ~= 200 then failures = failures + 1 end
end
