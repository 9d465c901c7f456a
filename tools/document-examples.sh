#!/usr/bin/env bash
# Renders the example pages in docs/images/ from a real ledger: starts ledgerd on a scratch data
# dir, enters a small project the way its staff would (each person with their own token), prints a
# 收据 and a 认购书 from the ledger, draws the 销控表 and the month's timeliness, and turns the PDFs
# into PNGs with pdftoppm. Run after tools/build.sh:  tools/document-examples.sh [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/docs/images}"
ctl="$root/build/tools/ledgerctl"
scratch="$(mktemp -d)"
mkdir -p "$out"

"$root/build/tools/ledgerd" --data-dir "$scratch/data" --listen 127.0.0.1:0 --port-file "$scratch/port" \
  >"$scratch/ledgerd.log" 2>&1 &
ledgerd=$!
trap 'kill $ledgerd 2>/dev/null; wait $ledgerd 2>/dev/null; rm -rf "$scratch"' EXIT
for _ in $(seq 100); do [[ -s "$scratch/port" ]] && break; sleep 0.1; done
server="127.0.0.1:$(cat "$scratch/port")"

# as PERSON FILE: imports FILE's commands with PERSON's token ("admin": the admin token).
as() {
  local token="$scratch/$1.token"
  [[ "$1" == admin ]] && token="$scratch/data/admin.token"
  "$ctl" import --quiet "$2" --server "$server" --token-file "$token"
}
at() { TZ=Asia/Shanghai date -d "$1" +%Y-%m-%dT%H:%M:%S+08:00; }

cat >"$scratch/org.jsonl" <<'EOF'
{"cmd":"define_project","args":{"project_id":"BJF","name":"滨江府","company":"杭州滨江置业有限公司"}}
{"cmd":"add_person","args":{"person_id":"cw01","name":"陈财务","roles":["FINANCE_LEAD"]}}
{"cmd":"add_person","args":{"person_id":"xs01","name":"许销售","roles":["SALES_LEAD"],"project_ids":["BJF"]}}
{"cmd":"add_person","args":{"person_id":"sy01","name":"苏收银","roles":["CASHIER"],"supervisor_id":"cw01","project_ids":["BJF"]}}
{"cmd":"add_person","args":{"person_id":"kf01","name":"柯客服","roles":["CUSTOMER_SERVICE"],"supervisor_id":"xs01","project_ids":["BJF"]}}
{"cmd":"add_person","args":{"person_id":"gw01","name":"顾一","roles":["CONSULTANT"],"supervisor_id":"xs01","project_ids":["BJF"]}}
{"cmd":"add_person","args":{"person_id":"gw02","name":"顾二","roles":["CONSULTANT"],"supervisor_id":"xs01","project_ids":["BJF"]}}
{"cmd":"add_person","args":{"person_id":"yx01","name":"杨营销","roles":["MARKETING"],"project_ids":["BJF"]}}
EOF
as admin "$scratch/org.jsonl"
for p in xs01 sy01 kf01 gw01 gw02 yx01; do
  "$ctl" token issue --person "$p" --token-id "t-$p" --server "$server" --token-file "$scratch/data/admin.token" \
    >"$scratch/$p.token"
done

# Two buildings of 8 floors, 4 rooms a floor; building A2 not yet reviewed (not on sale).
units=()
for b in A1 A2; do
  for f in $(seq 1 8); do
    for r in 01 02 03 04; do
      id="$b-$f$r"
      units+=("\"$id\"")
      area=$((8950 + 10#$r * 410))
      price=$(((180000000 + f * 1500000 + 10#$r * 3000000)))
      echo "{\"cmd\":\"define_unit\",\"args\":{\"project_id\":\"BJF\",\"unit_id\":\"$id\",\"building\":\"$b\",\"floor\":$f,\"room\":\"$r\",\"product_type\":\"住宅\",\"area_x100\":$area,\"list_price_fen\":$price}}"
    done
  done
done >"$scratch/units.jsonl"
a1=$(IFS=,; echo "${units[*]:0:32}")
{
  echo '{"cmd":"define_payment_plan","args":{"project_id":"BJF","plan_id":"M30","name":"商业按揭30年","kind":"MORTGAGE","discount_bp":0}}'
  echo '{"cmd":"register_customer","args":{"project_id":"BJF","customer_id":"C1","name":"王芳","phone":"13800000001","consultant_id":"gw01","source":"VISIT"}}'
  echo '{"cmd":"register_customer","args":{"project_id":"BJF","customer_id":"C2","name":"李强","phone":"13900000002","consultant_id":"gw01","source":"CALL"}}'
  echo '{"cmd":"register_customer","args":{"project_id":"BJF","customer_id":"C3","name":"赵敏","phone":"13700000003","consultant_id":"gw02","source":"VISIT"}}'
  echo '{"cmd":"register_customer","args":{"project_id":"BJF","customer_id":"C4","name":"周杰","phone":"13600000004","consultant_id":"gw02","source":"VISIT"}}'
} >>"$scratch/units.jsonl"
as kf01 "$scratch/units.jsonl"
echo "{\"cmd\":\"review_setup\",\"args\":{\"project_id\":\"BJF\",\"item_ids\":[$a1,\"M30\"],\"approve\":true}}" >"$scratch/review.jsonl"
as xs01 "$scratch/review.jsonl"
echo "{\"cmd\":\"confirm_setup\",\"args\":{\"project_id\":\"BJF\",\"item_ids\":[$a1,\"M30\"]}}" >"$scratch/confirm.jsonl"
as yx01 "$scratch/confirm.jsonl"
echo '{"cmd":"set_unit_hold","args":{"project_id":"BJF","unit_id":"A1-801","held":true,"reason":"顶楼样板间"}}' >"$scratch/hold.jsonl"
echo '{"cmd":"set_unit_hold","args":{"project_id":"BJF","unit_id":"A1-802","held":true,"reason":"顶楼样板间"}}' >>"$scratch/hold.jsonl"
as xs01 "$scratch/hold.jsonl"

# Visits: gw01 enters each at once; gw02 types yesterday's in today (late).
{
  for i in 1 2 3 4 5 6; do
    echo "{\"cmd\":\"log_visit\",\"args\":{\"project_id\":\"BJF\",\"visit_id\":\"V1$i\",\"customer_id\":\"C$(((i % 2) + 1))\",\"consultant_id\":\"gw01\",\"kind\":\"VISIT\",\"occurred_at\":\"$(at "-$((i * 5)) minutes")\"}}"
  done
} >"$scratch/visits1.jsonl"
as gw01 "$scratch/visits1.jsonl"
{
  for i in 1 2 3 4 5; do
    when=$([[ $i -le 3 ]] && at "yesterday 10:0$i" || at "-$i minutes")
    echo "{\"cmd\":\"log_visit\",\"args\":{\"project_id\":\"BJF\",\"visit_id\":\"V2$i\",\"customer_id\":\"C$(((i % 2) + 3))\",\"consultant_id\":\"gw02\",\"kind\":\"VISIT\",\"occurred_at\":\"$when\"}}"
  done
} >"$scratch/visits2.jsonl"
as gw02 "$scratch/visits2.jsonl"

cat >"$scratch/sales.jsonl" <<EOF
{"cmd":"reserve_unit","args":{"project_id":"BJF","reservation_id":"R1","unit_id":"A1-304","customer_id":"C3","occurred_at":"$(at "-40 minutes")"}}
{"cmd":"reserve_unit","args":{"project_id":"BJF","reservation_id":"R2","unit_id":"A1-503","customer_id":"C4","occurred_at":"$(at "-35 minutes")"}}
{"cmd":"create_subscription","args":{"project_id":"BJF","subscription_id":"S1","unit_id":"A1-603","customer_ids":["C1","C2"],"consultant_id":"gw01","price_fen":198000000,"payment_plan_id":"M30","occurred_at":"$(at "-30 minutes")"}}
{"cmd":"create_subscription","args":{"project_id":"BJF","subscription_id":"S2","unit_id":"A1-201","customer_ids":["C3"],"consultant_id":"gw02","price_fen":186500000,"payment_plan_id":"M30","occurred_at":"$(at "-25 minutes")"}}
{"cmd":"create_subscription","args":{"project_id":"BJF","subscription_id":"S3","unit_id":"A1-202","customer_ids":["C4"],"consultant_id":"gw02","price_fen":189000000,"payment_plan_id":"M30","occurred_at":"$(at "-20 minutes")"}}
{"cmd":"sign_contract","args":{"project_id":"BJF","contract_id":"K2","subscription_id":"S2","contract_no":"HT-2026-0002","price_fen":186500000,"occurred_at":"$(at "-10 minutes")"}}
EOF
as kf01 "$scratch/sales.jsonl"
cat >"$scratch/pay.jsonl" <<EOF
{"cmd":"record_payment","args":{"project_id":"BJF","payment_id":"P1","customer_id":"C1","subscription_id":"S1","kind":"DEPOSIT","amount_fen":5000000,"method":"CARD","occurred_at":"$(at "-28 minutes")"}}
{"cmd":"record_payment","args":{"project_id":"BJF","payment_id":"P2","customer_id":"C3","subscription_id":"S2","kind":"HOUSE_PAYMENT","amount_fen":56000000,"method":"TRANSFER","occurred_at":"$(at "-3 hours")"}}
EOF
as sy01 "$scratch/pay.jsonl"

# The pages, printed by the people whose job it is.
"$ctl" print receipt --project BJF --payment P1 --out "$scratch/receipt.pdf" --server "$server" --token-file "$scratch/sy01.token"
"$ctl" print subscription --project BJF --subscription S1 --out "$scratch/subscription.pdf" --server "$server" --token-file "$scratch/kf01.token"
"$ctl" report units --project BJF --out "$out/units.png" --server "$server" --token-file "$scratch/xs01.token"
# Drawn by the administrator, who may read everyone's fines (a sales lead's picture leaves them out).
"$ctl" report timeliness --project BJF --month "$(TZ=Asia/Shanghai date +%Y-%m)" --out "$out/timeliness.png" \
  --server "$server" --token-file "$scratch/data/admin.token"
pdftoppm -r 110 -png -singlefile "$scratch/receipt.pdf" "$out/receipt"
pdftoppm -r 90 -png -f 1 -l 1 -singlefile "$scratch/subscription.pdf" "$out/subscription"
echo "wrote $(cd "$out" && ls receipt.png subscription.png units.png timeliness.png | tr '\n' ' ')to $out"
