-- wrk script: PUT of one key with a form body, as etcd v2 clients send it.
wrk.method = "PUT"
wrk.body = "value=baton-bench-value"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
