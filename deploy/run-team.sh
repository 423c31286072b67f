#!/usr/bin/env bash
# Credence for a team on one machine: PostgreSQL (DATABASE_URL, already running), nginx ending TLS in front
# of WEB_CONCURRENCY gunicorn web workers, and one background task worker. Runs in the foreground; Ctrl-C
# or SIGTERM stops every process it started; if one of them stops, the others are stopped too.
#   deploy/run-team.sh [ENV_FILE]        ENV_FILE defaults to deploy/credence.env (see credence.env.example)
#   deploy/run-team.sh --check [ENV_FILE] only renders the nginx configuration and tests it (nginx -t)
# Without TLS_CERT/TLS_KEY files a self-signed certificate is made in var/deploy/ (for trying it out only).
set -euo pipefail

cd "$(dirname "$0")/.."
check_only=0
if [ "${1:-}" = "--check" ]; then check_only=1; shift; fi
env_file=${1:-deploy/credence.env}
if [ -f "$env_file" ]; then
  set -a; . "$env_file"; set +a
elif [ -n "${1:-}" ]; then
  echo "run-team: no file $env_file" >&2; exit 1
fi

python=${PYTHON:-.venv/bin/python}
run_dir=${RUN_DIR:-$PWD/var/deploy}
export BEHIND_PROXY=1 LOG_FORMAT=${LOG_FORMAT:-json}
export STATIC_ROOT=${STATIC_ROOT:-$PWD/staticfiles} EXPORTS_DIR=${EXPORTS_DIR:-$PWD/var/exports}
export IMPORTS_DIR=${IMPORTS_DIR:-$PWD/var/imports}
web_bind=${WEB_BIND:-127.0.0.1:8001} http_port=${HTTP_PORT:-80} https_port=${HTTPS_PORT:-443}
tls_cert=${TLS_CERT:-} tls_key=${TLS_KEY:-}
mkdir -p "$run_dir" "$EXPORTS_DIR" "$IMPORTS_DIR"
chmod 700 "$EXPORTS_DIR" "$IMPORTS_DIR"

if [ ! -f "$tls_cert" ] || [ ! -f "$tls_key" ]; then
  tls_cert=$run_dir/self-signed.pem tls_key=$run_dir/self-signed.key
  if [ ! -f "$tls_cert" ]; then
    (umask 077; openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=${ALLOWED_HOSTS%%,*}" \
      -keyout "$tls_key" -out "$tls_cert" 2>/dev/null)
    echo "run-team: no TLS_CERT/TLS_KEY files; made a self-signed certificate in $run_dir" >&2
  fi
fi
https_origin='https://$host'
[ "$https_port" = 443 ] || https_origin="https://\$host:$https_port"
sed -e "s|@RUN_DIR@|$run_dir|g" -e "s|@MIME_TYPES@|${NGINX_MIME_TYPES:-/etc/nginx/mime.types}|g" \
    -e "s|@WEB_BIND@|$web_bind|g" -e "s|@HTTP_PORT@|$http_port|g" -e "s|@HTTPS_PORT@|$https_port|g" \
    -e "s|@HTTPS_ORIGIN@|$https_origin|g" -e "s|@TLS_CERT@|$tls_cert|g" -e "s|@TLS_KEY@|$tls_key|g" \
    -e "s|@STATIC_ROOT@|$STATIC_ROOT|g" deploy/nginx.conf > "$run_dir/nginx.conf"
nginx=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
"$nginx" -t -q -p "$run_dir" -c "$run_dir/nginx.conf"
[ "$check_only" = 1 ] && { echo "run-team: $run_dir/nginx.conf is valid"; exit 0; }

case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*) ;;
  *) echo "run-team: DATABASE_URL must point at PostgreSQL for a team (SQLite is for one person)" >&2; exit 1 ;;
esac
"$python" manage.py check --deploy --fail-level WARNING
"$python" manage.py migrate --no-input
"$python" manage.py collectstatic --no-input -v 0

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop EXIT
trap 'stop; exit 0' INT TERM

WEB_BIND=$web_bind "$python" -m gunicorn --config deploy/gunicorn.conf.py & pids+=($!)
"$python" manage.py db_worker --queue-name default --no-reload & pids+=($!)
"$nginx" -p "$run_dir" -c "$run_dir/nginx.conf" -g "daemon off;" & pids+=($!)
echo "run-team: https://${ALLOWED_HOSTS%%,*}:$https_port/ (web $web_bind x ${WEB_CONCURRENCY:-2}, one task worker)" >&2
wait -n "${pids[@]}"
echo "run-team: a process stopped; stopping the others" >&2
exit 1
