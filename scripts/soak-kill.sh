#!/usr/bin/env bash
# Soak test of the distributed engine under crashes.
#
# Starts a private redis-server and rabbitmq-server on free ports of 127.0.0.1, two standalone
# Delivery processes that share them (RabbitMQ transport, Redis store), then N times: triggers a
# few pipelines (quick chains, waits, manual judgments), kills one of the two processes at random
# with SIGKILL and starts a replacement. Judgments are given through whichever process is alive.
# At the end it waits for every execution to finish and reports how many SUCCEEDED and which are
# stuck (not SUCCEEDED within the deadline). Exits non-zero when any execution is stuck.
#
# Usage: scripts/soak-kill.sh [-n KILLS] [-c CONFIGURATION] [-s SEED] [-d DEADLINE_SECONDS] [-k]
#   -n  kills (default 50)
#   -c  build configuration of services/standalone (default Debug; built when its dll is missing)
#   -s  seed of bash's RANDOM, printed so a run can be repeated (default: from the clock)
#   -d  seconds to wait after the last kill for executions to finish (default 90)
#   -k  keep the work directory (logs of every process) instead of deleting it; kept anyway on failure
#
# Needs: dotnet, curl, python3, redis-server and rabbitmq-server
# (apt-get install -y redis-server rabbitmq-server).
set -euo pipefail

kills=50
configuration=Debug
seed=$(( $(date +%s) % 32768 ))
deadline=90
keep=0
while getopts "n:c:s:d:kh" opt; do
  case "$opt" in
    n) kills=$OPTARG ;;
    c) configuration=$OPTARG ;;
    s) seed=$OPTARG ;;
    d) deadline=$OPTARG ;;
    k) keep=1 ;;
    *) sed -n '2,19p' "$0"; exit 2 ;;
  esac
done
RANDOM=$seed

repo=$(cd "$(dirname "$0")/.." && pwd)
dll="$repo/services/standalone/bin/$configuration/net10.0/Delivery.Standalone.dll"
rabbit_bin=/usr/lib/rabbitmq/bin
for tool in dotnet curl python3 redis-server epmd "$rabbit_bin/rabbitmq-server" "$rabbit_bin/rabbitmqctl"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "missing $tool: apt-get install -y redis-server rabbitmq-server curl python3 (and the .NET SDK)" >&2
    exit 2
  fi
done
if [ ! -f "$dll" ]; then
  echo "building services/standalone ($configuration)"
  dotnet build "$repo/services/standalone" -c "$configuration" -nologo -v quiet >/dev/null
fi

work=$(mktemp -d -t delivery-soak-XXXXXX)
read -r redis_port amqp_port dist_port epmd_port http_a http_b < <(python3 - <<'PY'
import socket
socks = []
for _ in range(6):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
)
node="delivery-soak-$$@localhost"
ports=("$http_a" "$http_b")
pids=("" "")
redis_pid=""
rabbit_pid=""
executions="$work/executions.txt" # "ID NAME" per triggered execution
report="$work/report.txt"         # "ID NAME STATUS JUDGMENT" per execution, from survey
: > "$executions"

# Everything that makes the RabbitMQ node private: its name, ports, directories and Erlang cookie ($HOME).
rabbit_env=(HOME="$work/rabbit" RABBITMQ_NODENAME="$node" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  RABBITMQ_NODE_PORT="$amqp_port" RABBITMQ_DIST_PORT="$dist_port"
  ERL_EPMD_PORT="$epmd_port" ERL_EPMD_ADDRESS=127.0.0.1
  RABBITMQ_MNESIA_BASE="$work/rabbit/mnesia" RABBITMQ_LOG_BASE="$work/rabbit/log"
  RABBITMQ_ENABLED_PLUGINS_FILE="$work/rabbit/enabled_plugins"
  RABBITMQ_CONFIG_FILE="$work/rabbit/rabbitmq" RABBITMQ_ADVANCED_CONFIG_FILE="$work/rabbit/advanced.config"
  RABBITMQ_CONF_ENV_FILE="$work/rabbit/rabbitmq-env.conf"
  "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}")

cleanup() {
  set +e
  exec 2>/dev/null # no "Killed" notices for the processes stopped here
  for pid in "${pids[@]}"; do [ -n "$pid" ] && kill -9 "$pid"; done
  if [ -n "$rabbit_pid" ]; then
    env "${rabbit_env[@]}" timeout 30 "$rabbit_bin/rabbitmqctl" -q -n "$node" stop >/dev/null
    for _ in $(seq 1 100); do kill -0 "$rabbit_pid" || break; sleep 0.1; done
    pkill -9 -P "$rabbit_pid"
    kill -9 "$rabbit_pid"
  fi
  # erl started epmd as a daemon, outside the node's process tree.
  ERL_EPMD_PORT="$epmd_port" epmd -kill >/dev/null
  [ -n "$redis_pid" ] && kill -9 "$redis_pid"
  wait
  if [ "$keep" = 1 ]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

wait_port() { # port seconds pid
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    if ! kill -0 "$3" 2>/dev/null; then return 1; fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

echo "seed $seed, kills $kills, work $work"
mkdir -p "$work/redis" "$work/rabbit"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly yes --appendfsync always \
  --dir "$work/redis" --daemonize no --logfile "$work/redis/redis.log" &
redis_pid=$!
wait_port "$redis_port" 10 "$redis_pid" || { echo "redis-server did not start" >&2; exit 1; }

echo '[].' > "$work/rabbit/enabled_plugins"
: > "$work/rabbit/rabbitmq-env.conf"
env "${rabbit_env[@]}" "$rabbit_bin/rabbitmq-server" > "$work/rabbit/stdout.log" 2>&1 &
rabbit_pid=$!
wait_port "$amqp_port" 60 "$rabbit_pid" || { echo "rabbitmq-server did not start:" >&2; tail -20 "$work/rabbit/stdout.log" >&2; exit 1; }
env "${rabbit_env[@]}" "$rabbit_bin/rabbitmqctl" -q -n "$node" await_startup --timeout 60 >/dev/null
echo "redis on $redis_port, rabbitmq on $amqp_port"

start_process() { # slot
  local slot=$1
  env Delivery__Bus__Transport=RabbitMq Delivery__Bus__Host=127.0.0.1 Delivery__Bus__Port="$amqp_port" \
    Delivery__Store__Kind=Redis Delivery__Store__Redis="127.0.0.1:$redis_port" Delivery__Store__KeyPrefix="soak:" \
    Delivery__Orchestrator__TimerLeaseMs=3000 Logging__LogLevel__Default=Warning \
    dotnet "$dll" --urls "http://127.0.0.1:${ports[$slot]}" >> "$work/process-$slot.log" 2>&1 &
  pids[slot]=$!
}

wait_healthy() { # slot
  local i
  for ((i = 0; i < 300; i++)); do
    if curl -fsS -o /dev/null "http://127.0.0.1:${ports[$1]}/health" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "process $1 did not become healthy; see $work/process-$1.log" >&2
  return 1
}

start_process 0
start_process 1
wait_healthy 0
wait_healthy 1

# Talks to a live process (the other one may be dead or starting); prints the body, a newline and the HTTP status.
api() { # method path [body]
  local slot out
  local args=(-sS --max-time 40 -X "$1" -H 'Content-Type: application/json' -w '\n%{http_code}')
  if [ $# -ge 3 ]; then args+=(--data "$3"); fi
  for slot in 0 1 0 1 0 1; do
    if out=$(curl "${args[@]}" "http://127.0.0.1:${ports[$slot]}$2" 2>/dev/null); then
      printf '%s' "$out"
      return 0
    fi
    sleep 0.2
  done
  return 1
}

save() { # json
  local out
  out=$(api POST /pipelines "$1") || { echo "saving a pipeline failed: no answer" >&2; exit 1; }
  [ "${out##*$'\n'}" -lt 300 ] || { echo "saving a pipeline failed: $out" >&2; exit 1; }
}

# chain: 12 quick stages in a row; fork: 1 -> (wait 1 s, wait 2 s) -> 4; judged: 1 -> judgment -> wait 1 s.
chain='{"application":"soak","name":"chain","stages":['
for i in $(seq 1 12); do
  if [ "$i" -gt 1 ]; then chain+=','; req="\"$((i - 1))\""; else req=""; fi
  chain+="{\"refId\":\"$i\",\"type\":\"evaluateVariables\",\"variables\":[{\"key\":\"k$i\",\"value\":\"$i\"}],\"requisiteStageRefIds\":[$req]}"
done
chain+=']}'
save "$chain"
save '{"application":"soak","name":"fork","stages":[
  {"refId":"1","type":"evaluateVariables","variables":[{"key":"a","value":"1"}],"requisiteStageRefIds":[]},
  {"refId":"2","type":"wait","waitTime":1,"requisiteStageRefIds":["1"]},
  {"refId":"3","type":"wait","waitTime":2,"requisiteStageRefIds":["1"]},
  {"refId":"4","type":"evaluateVariables","variables":[{"key":"b","value":"2"}],"requisiteStageRefIds":["2","3"]}]}'
save '{"application":"soak","name":"judged","stages":[
  {"refId":"1","type":"evaluateVariables","variables":[{"key":"a","value":"1"}],"requisiteStageRefIds":[]},
  {"refId":"2","type":"manualJudgment","requisiteStageRefIds":["1"]},
  {"refId":"3","type":"wait","waitTime":1,"requisiteStageRefIds":["2"]}]}'

trigger() { # name
  local out
  if out=$(api POST "/pipelines/soak/$1" '{}') && [ "${out##*$'\n'}" = 202 ]; then
    python3 -c 'import json, sys; print(json.loads(sys.argv[1])["ref"].split("/")[-1], sys.argv[2])' "${out%$'\n'*}" "$1" >> "$executions"
  else
    echo "trigger of $1 failed: ${out:-no answer}" >&2
  fi
}

# Writes $report: one line per execution, "ID NAME STATUS JUDGMENT", where JUDGMENT is the id of its
# RUNNING manual judgment stage or "-". Asks a live process; finished executions are not asked again.
survey() {
  python3 - "$executions" "$work/finished.txt" "${ports[@]}" > "$report" <<'PY'
import json, sys, urllib.request
executions, finished_path, ports = sys.argv[1], sys.argv[2], sys.argv[3:]
try:
    finished = dict(line.split(" ", 1) for line in open(finished_path).read().splitlines())
except FileNotFoundError:
    finished = {}

def get(path):
    for port in ports * 2:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=40) as response:
                return json.load(response)
        except Exception:
            continue
    return None

rows = []
for line in open(executions).read().splitlines():
    eid, name = line.split()
    if eid in finished:
        rows.append(finished[eid])
        continue
    e = get(f"/pipelines/{eid}")
    if e is None:
        rows.append(f"{eid} {name} UNREACHABLE -")
        continue
    status = e.get("status", "?")
    judgment = next((s["id"] for s in e.get("stages", []) if s["type"] == "manualJudgment" and s["status"] == "RUNNING"), "-")
    rows.append(f"{eid} {name} {status} {judgment}")
    if status in ("SUCCEEDED", "TERMINAL", "CANCELED"):
        finished[eid] = rows[-1]
with open(finished_path, "w") as f:
    f.writelines(f"{k} {v}\n" for k, v in finished.items())
if rows:
    print("\n".join(rows))
PY
}

# Judges every waiting judgment through a live process. A judgment redelivered after the process
# that applied it died may be answered 409 (judged already): the final status is what counts.
judge_pending() {
  local id name status stage
  survey
  while read -r id name status stage; do
    if [ "$stage" != "-" ]; then
      api PATCH "/pipelines/$id/stages/$stage" '{"judgmentStatus":"continue"}' >/dev/null || true
    fi
  done < "$report"
}

names=(chain fork judged)
for ((round = 1; round <= kills; round++)); do
  for _ in 1 2 3; do trigger "${names[RANDOM % 3]}"; done
  sleep "$(printf '0.%03d' $((RANDOM % 1000)))"
  victim=$((RANDOM % 2))
  kill -9 "${pids[$victim]}" 2>/dev/null || true
  wait "${pids[$victim]}" 2>/dev/null || true
  start_process "$victim"
  judge_pending
  wait_healthy "$victim"
  printf 'round %d/%d: killed process %d, %d executions so far\n' "$round" "$kills" "$victim" "$(wc -l < "$executions")"
done

echo "waiting up to ${deadline}s for executions to finish"
end=$((SECONDS + deadline))
while :; do
  judge_pending
  pending=$(awk '$3 != "SUCCEEDED" && $3 != "TERMINAL" && $3 != "CANCELED"' "$report" | wc -l)
  if [ "$pending" -eq 0 ] || [ "$SECONDS" -ge "$end" ]; then break; fi
  sleep 2
done

total=$(wc -l < "$report")
succeeded=$(awk '$3 == "SUCCEEDED"' "$report" | wc -l)
stuck=$((total - succeeded))
echo "executions: $total, succeeded: $succeeded, stuck or failed: $stuck (seed $seed)"
if [ "$stuck" -gt 0 ]; then
  awk '$3 != "SUCCEEDED" { print "  " $1, $2, $3 }' "$report"
  keep=1
  exit 1
fi
