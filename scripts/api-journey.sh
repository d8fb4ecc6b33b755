#!/usr/bin/env bash
# The integrator's guide of docs/API.md, as a script: a whole journey through the API with curl, against a
# running server. CI runs it (tests/contract/test_curl_journey.py) against a live server; run it by hand with
#   CLEA_URL=http://127.0.0.1:8000 CLEA_HOST=greta-lyon.localhost CLEA_USER=... CLEA_PASSWORD=... scripts/api-journey.sh
# Needs curl and python3 (to read JSON). Stops at the first unexpected answer (non-zero exit, one line).
set -euo pipefail
: "${CLEA_URL:?base URL, e.g. http://127.0.0.1:8000}" "${CLEA_HOST:?the organisation host}"
: "${CLEA_USER:?a counsellor of that organisation}" "${CLEA_PASSWORD:?its password}"
TODAY=$(date +%F)

api() {  # api METHOD PATH [JSON BODY] -> prints the body; fails unless the status is 2xx
  local method=$1 path=$2 body=${3:-}
  local args=(-sS -X "$method" -H "Host: $CLEA_HOST" -H "Accept: application/json" -o /tmp/clea-journey.$$ -w '%{http_code}')
  [[ -n ${TOKEN:-} ]] && args+=(-H "Authorization: Token $TOKEN")
  [[ -n $body ]] && args+=(-H "Content-Type: application/json" --data "$body")
  local status
  status=$(curl "${args[@]}" "$CLEA_URL$path")
  if [[ $status != 2* ]]; then
    echo "api-journey: $method $path answered $status: $(head -c 300 /tmp/clea-journey.$$)" >&2
    exit 1
  fi
  cat /tmp/clea-journey.$$
  rm -f /tmp/clea-journey.$$
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }

# 1. A token for the counsellor (POST /api/auth/token/), then who am I (GET /api/me/).
TOKEN=$(api POST /api/auth/token/ "{\"username\": \"$CLEA_USER\", \"password\": \"$CLEA_PASSWORD\"}" | json 'd["token"]')
ME=$(api GET /api/me/)
echo "signed in as user $(echo "$ME" | json 'd["id"]') ($(echo "$ME" | json 'd["roles"]')) in $(echo "$ME" | json 'd["organisation"]')"

# 2. The ids to choose: a trainer from the staff directory, a modality of an accredited branch.
TRAINER=$(api GET "/api/staff/?role=trainer" | json '[r["id"] for r in d["results"] if r["role"] == "trainer"][0]')
MODALITY=$(api GET /api/branches/modalities/ | json 'd["branches"][0]["code"]')

# 3. Welcome a candidate with their referral (R1), then open the file with their consent.
FILE=$(api POST /api/files/ "{\"candidate\": {\"first_name\": \"Léa\", \"last_name\": \"Martin\", \"birth_date\": \"1990-05-17\"},
  \"referral\": {\"prescriber_type\": \"france_travail\", \"prescriber_name\": \"Agence\", \"referred_on\": \"$TODAY\"}}")
ID=$(echo "$FILE" | json 'd["id"]')
FILE=$(api POST "/api/files/$ID/open/" "{\"version\": $(echo "$FILE" | json 'd["version"]'), \"consent\": true, \"consent_purpose\": \"Certification CléA\"}")

# 4. The initial evaluation: every criterion (listed by GET /api/files/{id}/mastery/), all but sub-domain 7.2.
CRITERIA=$(api GET "/api/files/$ID/mastery/" | json '[c for dom in d["domains"] for s in dom["subdomains"] for c in s["missing_criteria"]]')
RESULTS=$(python3 -c "import json,sys; print(json.dumps([{'criterion': c, 'acquired': not c.startswith('7.2.'), 'comment': ''} for c in eval(sys.argv[1])]))" "$CRITERIA")
FILE=$(api POST "/api/files/$ID/evaluations/" "{\"version\": $(echo "$FILE" | json 'd["version"]'), \"kind\": \"initial\",
  \"days\": [\"$TODAY\"], \"modality\": \"$MODALITY\", \"results\": $RESULTS}")
echo "file $ID evaluated: state $(echo "$FILE" | json 'd["state"]')"

# 5. The training path for what is missing, with the trainer chosen above (R7: not the evaluator).
START=$(date -d "+7 days" +%F); END=$(date -d "+12 days" +%F)
api POST "/api/files/$ID/training-path/" "{\"version\": $(echo "$FILE" | json 'd["version"]'), \"trainer_id\": $TRAINER,
  \"training_organisation\": \"Centre de formation\", \"sessions\": [{\"starts_on\": \"$START\", \"ends_on\": \"$END\", \"subdomains\": [\"7.2\"]}]}" >/dev/null
STATE=$(api GET "/api/files/$ID/" | json 'd["state"]')
[[ $STATE == training ]] || { echo "api-journey: file $ID is $STATE, expected training" >&2; exit 1; }

# 6. Submitting now is refused (not ready for the jury): 409 naming R10.
CODE=$(curl -sS -o /tmp/clea-journey.$$ -w '%{http_code}' -X POST -H "Host: $CLEA_HOST" -H "Authorization: Token $TOKEN" \
  -H "Content-Type: application/json" --data '{}' "$CLEA_URL/api/files/$ID/submit/")
RULE=$(json 'd["rule"]' < /tmp/clea-journey.$$); rm -f /tmp/clea-journey.$$
[[ $CODE == 409 && $RULE == R10 ]] || { echo "api-journey: submit answered $CODE rule $RULE, expected 409 R10" >&2; exit 1; }
echo "journey done: file $ID in training, submission refused by $RULE until it is ready"
