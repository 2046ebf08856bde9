# The two servers of the HTTP benchmarks, configured alike (sourced, not run):
#   write_vm_site WORK PORT   -> WORK/www (health file, one challenge file), WORK/nginx.conf, WORK/certman.toml
#   sets TOKEN (the challenge file's token) and ABSENT (a token of the same shape that nothing serves).
# nginx as on the old certificate-manager VM: Debian's stock nginx.conf (sendfile, tcp_nopush, mime.types) with
# one site, a root holding the health file and the challenge files, try_files, one worker, no access log.
# certman as deployed, minus certificates: the public listener only, default timeouts and limits.

random_token() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '='; }

write_vm_site() {
    local work="$1" port="$2"
    # A token shaped like an ACME one (RFC 8555 §8.3: base64url, 128 bits or more; CAs send 43 characters).
    TOKEN="$(random_token)"
    ABSENT="$(random_token)"
    local www="$work/www"
    chmod 755 "$work"   # nginx's worker runs as nobody and must read the root directory
    mkdir -p "$www/.well-known/acme-challenge" "$work/nginx-tmp"
    printf 'OK\n' >"$www/health"
    printf '%s.%s' "$TOKEN" "$(random_token)" >"$www/.well-known/acme-challenge/$TOKEN"
    chmod -R a+rX "$www"
    cat >"$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 768; }
http {
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path $work/nginx-tmp/body;
    proxy_temp_path $work/nginx-tmp/proxy;
    fastcgi_temp_path $work/nginx-tmp/fastcgi;
    uwsgi_temp_path $work/nginx-tmp/uwsgi;
    scgi_temp_path $work/nginx-tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        root $www;
        location / { try_files \$uri \$uri/ =404; }
    }
}
EOF
    cat >"$work/certman.toml" <<EOF
[server]
listen = "127.0.0.1:$port"
[admin]
enabled = false
[log]
level = "info"
[storage]
path = "$work/certman-state"
EOF
}
