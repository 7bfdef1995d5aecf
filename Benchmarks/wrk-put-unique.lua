-- wrk script: PUT of a fresh key per request (/v2/keys/fill/t<thread>-<n>), to fill a tree quickly.
local counter = 0
local prefix = tostring(math.random(1, 1000000000))
function request()
    counter = counter + 1
    return wrk.format("PUT", "/v2/keys/fill/" .. prefix .. "-" .. counter,
        { ["Content-Type"] = "application/x-www-form-urlencoded" }, "value=v" .. counter)
end
