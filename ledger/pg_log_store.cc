#include "ledger/pg_log_store.h"

#include <poll.h>

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "base/status_macros.h"
#include "libpq-fe.h"

namespace salesledger {
namespace {

// Taken around the schema's creation, so that nodes starting at once do not race on it.
constexpr int64_t kSchemaLock = 7262353001;

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS ledger_events (
  seq bigint PRIMARY KEY CHECK (seq > 0),
  request_id text NOT NULL UNIQUE,
  digest bytea NOT NULL,
  bytes bytea NOT NULL,
  hash bytea NOT NULL);
CREATE TABLE IF NOT EXISTS ledger_writer (
  id int PRIMARY KEY CHECK (id = 1),
  term bigint NOT NULL,
  node text NOT NULL,
  address text NOT NULL,
  since timestamptz NOT NULL,
  expires_at timestamptz NOT NULL);
INSERT INTO ledger_writer VALUES (1, 0, '', '', now(), '-infinity') ON CONFLICT (id) DO NOTHING;
-- The verifier key of the log's signing key (log.key): every node signs with the same one.
CREATE TABLE IF NOT EXISTS ledger_log_key (
  id int PRIMARY KEY CHECK (id = 1),
  verifier text NOT NULL);
-- Inside every commit: the lease must still be this term's and this node's; it is extended.
CREATE OR REPLACE FUNCTION ledger_fence(t bigint, n text, secs float8) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ledger_writer SET expires_at = now() + make_interval(secs => secs)
   WHERE id = 1 AND term = t AND node = n;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the writer lease of term % is no longer node %''s', t, n USING ERRCODE = 'LW001';
  END IF;
END $$;
)sql";

constexpr char kInsert[] =
    "INSERT INTO ledger_events (seq, request_id, digest, bytes, hash) VALUES ($1::bigint, $2, $3, $4, $5)";

// A result that clears itself.
struct Result {
  explicit Result(PGresult* r) : r(r) {}
  ~Result() { PQclear(r); }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  bool ok() const {
    const ExecStatusType s = PQresultStatus(r);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
  }
  std::string sqlstate() const {
    const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    return s != nullptr ? s : "";
  }
  PGresult* r;
};

// PostgreSQL's own error as ours: FAILED_PRECONDITION when another writer holds the seq or the
// lease, UNAVAILABLE otherwise (the server is gone, read-only after a failover, shutting down).
absl::Status FromPostgres(const std::string& sqlstate, absl::string_view message, absl::string_view what) {
  const std::string text = absl::StrCat(what, ": ", message);
  if (sqlstate == "23505") {
    return absl::FailedPreconditionError(absl::StrCat(text, " (another writer already holds that seq or request_id)"));
  }
  if (sqlstate == "LW001") return absl::FailedPreconditionError(text);
  return absl::UnavailableError(text);
}

// Binary int8 (network order), as a result in binary format carries it.
uint64_t Int8(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

std::string Value(PGresult* r, int row, int column) {
  return std::string(PQgetvalue(r, row, column), PQgetlength(r, row, column));
}

void NoticeReceiver(void* flag, const PGresult* notice) {
  const char* message = PQresultErrorField(notice, PG_DIAG_MESSAGE_PRIMARY);
  // syncrep.c: "canceling wait for synchronous replication ...": committed locally only.
  if (message != nullptr && absl::StrContains(message, "synchronous replication")) *static_cast<bool*>(flag) = true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgLogStore>> PgLogStore::Connect(const PgLogStoreOptions& options) {
  std::unique_ptr<PgLogStore> store(new PgLogStore(options));
  absl::MutexLock lock(&store->conn_mu_);
  absl::StatusOr<pg_conn*> c = store->Connected(store->conn_);
  if (!c.ok()) return c.status();
  Result begun(PQexec(*c, absl::StrCat("BEGIN; SELECT pg_advisory_xact_lock(", kSchemaLock, ")").c_str()));
  Result made(PQexec(*c, kSchema));
  Result done(PQexec(*c, made.ok() ? "COMMIT" : "ROLLBACK"));
  if (!begun.ok() || !made.ok() || !done.ok()) {
    return absl::UnavailableError(absl::StrCat("creating the replicated log's tables: ", PQerrorMessage(*c)));
  }
  return store;
}

PgLogStore::~PgLogStore() {
  absl::MutexLock a(&commit_mu_);
  absl::MutexLock b(&conn_mu_);
  absl::MutexLock c(&listen_mu_);
  PQfinish(commit_conn_);
  PQfinish(conn_);
  PQfinish(listen_conn_);
}

void PgLogStore::StopWaitingForCommits() {
  absl::MutexLock lock(&listen_mu_);
  PQfinish(listen_conn_);
  listen_conn_ = nullptr;
}

absl::Status PgLogStore::WaitForCommit(absl::Duration timeout) {
  absl::MutexLock lock(&listen_mu_);
  const bool fresh = listen_conn_ == nullptr || PQstatus(listen_conn_) != CONNECTION_OK;
  ASSIGN_OR_RETURN(pg_conn* c, Connected(listen_conn_));
  if (fresh) {
    Result listening(PQexec(c, "LISTEN ledger_events"));
    if (!listening.ok()) return FromPostgres(listening.sqlstate(), PQerrorMessage(c), "listening for commits");
  }
  auto drained = [c] {
    bool any = false;
    while (PGnotify* n = PQnotifies(c)) {
      any = true;
      PQfreemem(n);
    }
    return any;
  };
  if (PQconsumeInput(c) != 1) return absl::UnavailableError(absl::StrCat("listening for commits: ", PQerrorMessage(c)));
  if (drained()) return absl::OkStatus();
  pollfd p{PQsocket(c), POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(timeout))) > 0) {
    if (PQconsumeInput(c) != 1) return absl::UnavailableError(absl::StrCat("listening for commits: ", PQerrorMessage(c)));
    drained();
  }
  return absl::OkStatus();
}

absl::StatusOr<pg_conn*> PgLogStore::Connected(pg_conn*& slot) {
  if (slot != nullptr && PQstatus(slot) == CONNECTION_OK && PQpipelineStatus(slot) == PQ_PIPELINE_OFF) return slot;
  PQfinish(slot);
  const std::string seconds = absl::StrCat(std::max<int64_t>(1, absl::ToInt64Seconds(options_.timeout)));
  const std::string millis = absl::StrCat(absl::ToInt64Milliseconds(options_.timeout));
  // A transaction left open by a stalled node must not hold the lease row for longer than a lease.
  // The control connection's statements (lease, reads) are bounded by the server too, so that one
  // waiting on the lease row behind a commit that waits for a standby gives up; never the commit
  // connection's, whose wait must not be cancelled (see the header).
  std::string server_options =
      absl::StrCat("-c idle_in_transaction_session_timeout=", absl::ToInt64Milliseconds(options_.lease),
                   " -c client_min_messages=warning");
  if (&slot == &conn_) absl::StrAppend(&server_options, " -c statement_timeout=", millis);
  const char* keys[] = {"dbname", "application_name", "connect_timeout", "tcp_user_timeout",
                        "keepalives_idle", "keepalives_interval", "keepalives_count", "options", nullptr};
  const char* values[] = {options_.conninfo.c_str(), options_.node.c_str(), seconds.c_str(), millis.c_str(),
                          "2", "1", "3", server_options.c_str(), nullptr};
  slot = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (PQstatus(slot) != CONNECTION_OK) {
    const std::string why = PQerrorMessage(slot);
    PQfinish(slot);
    slot = nullptr;
    return absl::UnavailableError(absl::StrCat("cannot reach the replicated log's PostgreSQL: ", why));
  }
  absl::MutexLock lock(&state_mu_);
  primary_ = absl::StrCat(PQhost(slot), ":", PQport(slot));
  return slot;
}

absl::StatusOr<uint64_t> PgLogStore::LastSeq() {
  absl::MutexLock lock(&conn_mu_);
  ASSIGN_OR_RETURN(pg_conn* c, Connected(conn_));
  Result r(PQexec(c, "SELECT coalesce(max(seq), 0) FROM ledger_events"));
  uint64_t seq = 0;
  if (!r.ok() || !absl::SimpleAtoi(PQgetvalue(r.r, 0, 0), &seq)) {
    return FromPostgres(r.sqlstate(), PQerrorMessage(c), "reading the replicated log's last seq");
  }
  return seq;
}

absl::StatusOr<std::string> PgLogStore::AgreeOnLogKey(const std::string& verifier) {
  absl::MutexLock lock(&conn_mu_);
  ASSIGN_OR_RETURN(pg_conn* c, Connected(conn_));
  const char* values[] = {verifier.c_str()};
  // One statement, one snapshot: the row this call inserted, or the one that was there.
  Result r(PQexecParams(c,
                        "WITH mine AS (INSERT INTO ledger_log_key VALUES (1, $1) ON CONFLICT (id) DO NOTHING "
                        "RETURNING verifier) SELECT verifier FROM mine UNION ALL SELECT verifier FROM ledger_log_key",
                        1, nullptr, values, nullptr, nullptr, 0));
  if (!r.ok() || PQntuples(r.r) != 1) {
    return FromPostgres(r.sqlstate(), PQerrorMessage(c), "reading the replicated log's verifier key");
  }
  return Value(r.r, 0, 0);
}

absl::StatusOr<std::vector<ReplicatedEvent>> PgLogStore::ReadFrom(uint64_t from_seq, size_t max) {
  absl::MutexLock lock(&conn_mu_);
  ASSIGN_OR_RETURN(pg_conn* c, Connected(conn_));
  const std::string from = absl::StrCat(from_seq), limit = absl::StrCat(max);
  const char* values[] = {from.c_str(), limit.c_str()};
  Result r(PQexecParams(c,
                        "SELECT seq, request_id, digest, bytes, hash FROM ledger_events WHERE seq >= $1::bigint "
                        "ORDER BY seq LIMIT $2::bigint",
                        2, nullptr, values, nullptr, nullptr, /*resultFormat=*/1));
  if (!r.ok()) return FromPostgres(r.sqlstate(), PQerrorMessage(c), "reading the replicated log");
  std::vector<ReplicatedEvent> events(PQntuples(r.r));
  for (int i = 0; i < PQntuples(r.r); ++i) {
    if (PQgetlength(r.r, i, 0) != 8) return absl::DataLossError("the replicated log returned a malformed seq");
    events[i] = ReplicatedEvent{Int8(PQgetvalue(r.r, i, 0)), Value(r.r, i, 3), Value(r.r, i, 4), Value(r.r, i, 1),
                                Value(r.r, i, 2)};
  }
  return events;
}

absl::StatusOr<std::optional<uint64_t>> PgLogStore::Campaign() {
  absl::MutexLock lock(&conn_mu_);
  ASSIGN_OR_RETURN(pg_conn* c, Connected(conn_));
  const std::string lease = absl::StrCat(absl::ToDoubleSeconds(options_.lease)), where = address();
  const char* values[] = {options_.node.c_str(), where.c_str(), lease.c_str()};
  Result r(PQexecParams(c,
                        "UPDATE ledger_writer SET term = term + 1, node = $1, address = $2, since = now(), "
                        "expires_at = now() + make_interval(secs => $3::float8) "
                        "WHERE id = 1 AND (expires_at < now() OR node = $1) RETURNING term",
                        3, nullptr, values, nullptr, nullptr, 0));
  if (!r.ok()) return FromPostgres(r.sqlstate(), PQerrorMessage(c), "claiming the writer lease");
  if (PQntuples(r.r) == 0) return std::nullopt;
  uint64_t term = 0;
  if (!absl::SimpleAtoi(PQgetvalue(r.r, 0, 0), &term)) return absl::DataLossError("the writer lease has no term");
  absl::MutexLock state(&state_mu_);
  term_ = term;
  appending_ = false;
  last_seen_ = WriterLease{term, options_.node, where, absl::Now(), false};
  return term;
}

absl::Status PgLogStore::Renew() {
  const uint64_t held = term();
  if (held == 0) return absl::FailedPreconditionError("this node holds no writer lease");
  absl::MutexLock lock(&conn_mu_);
  ASSIGN_OR_RETURN(pg_conn* c, Connected(conn_));
  const std::string term_text = absl::StrCat(held), lease = absl::StrCat(absl::ToDoubleSeconds(options_.lease));
  const char* values[] = {term_text.c_str(), options_.node.c_str(), lease.c_str()};
  Result r(PQexecParams(c,
                        "UPDATE ledger_writer SET expires_at = now() + make_interval(secs => $3::float8) "
                        "WHERE id = 1 AND term = $1::bigint AND node = $2",
                        3, nullptr, values, nullptr, nullptr, 0));
  if (!r.ok()) return FromPostgres(r.sqlstate(), PQerrorMessage(c), "renewing the writer lease");
  if (std::string(PQcmdTuples(r.r)) != "1") {
    absl::MutexLock state(&state_mu_);
    term_ = 0;
    appending_ = false;
    return absl::FailedPreconditionError(
        absl::StrCat("node ", options_.node, " lost the writer lease of term ", held, " to another node"));
  }
  return absl::OkStatus();
}

absl::StatusOr<WriterLease> PgLogStore::Writer() {
  absl::MutexLock lock(&conn_mu_);
  ASSIGN_OR_RETURN(pg_conn* c, Connected(conn_));
  Result r(PQexec(c,
                  "SELECT term, node, address, extract(epoch FROM since)::float8, expires_at < now() "
                  "FROM ledger_writer WHERE id = 1"));
  if (!r.ok() || PQntuples(r.r) != 1) return FromPostgres(r.sqlstate(), PQerrorMessage(c), "reading the writer lease");
  WriterLease lease;
  double since = 0;
  if (!absl::SimpleAtoi(PQgetvalue(r.r, 0, 0), &lease.term) || !absl::SimpleAtod(PQgetvalue(r.r, 0, 3), &since)) {
    return absl::DataLossError("the writer lease is malformed");
  }
  lease.node = PQgetvalue(r.r, 0, 1);
  lease.address = PQgetvalue(r.r, 0, 2);
  lease.since = absl::FromUnixMicros(static_cast<int64_t>(std::llround(since * 1e6)));
  lease.expired = std::string(PQgetvalue(r.r, 0, 4)) == "t";
  absl::MutexLock state(&state_mu_);
  last_seen_ = lease;
  return lease;
}

void PgLogStore::SetAppending(bool appending) {
  absl::MutexLock lock(&state_mu_);
  appending_ = appending && term_ > 0;
}

uint64_t PgLogStore::term() const {
  absl::MutexLock lock(&state_mu_);
  return term_;
}

std::string PgLogStore::address() const {
  absl::MutexLock lock(&state_mu_);
  return address_;
}

void PgLogStore::SetAddress(std::string address) {
  absl::MutexLock lock(&state_mu_);
  address_ = std::move(address);
}

std::string PgLogStore::primary() const {
  absl::MutexLock lock(&state_mu_);
  return primary_;
}

absl::Status PgLogStore::CanAppend() const {
  absl::MutexLock lock(&state_mu_);
  if (appending_) return absl::OkStatus();
  if (term_ > 0) {
    return absl::UnavailableError(absl::StrCat("node ", options_.node,
                                               " is catching up with the replicated log before it writes; retry "
                                               "with the same request_id in a moment"));
  }
  if (!last_seen_.node.empty() && last_seen_.node != options_.node && !last_seen_.expired) {
    return absl::UnavailableError(absl::StrCat("node ", options_.node, " does not write; the writer is node ",
                                               last_seen_.node, " at ", last_seen_.address,
                                               ": send the entry there, with the same request_id"));
  }
  return absl::UnavailableError(absl::StrCat("no node holds the writer lease yet (node ", options_.node,
                                             " is a follower); retry with the same request_id in a few seconds"));
}

absl::Status PgLogStore::Commit(const std::vector<ReplicatedEvent>& events) {
  uint64_t held = 0;
  {
    absl::MutexLock lock(&state_mu_);
    if (!appending_) return absl::FailedPreconditionError(absl::StrCat("node ", options_.node, " is not the writer"));
    held = term_;
  }
  absl::MutexLock lock(&commit_mu_);
  const bool fresh = commit_conn_ == nullptr || PQstatus(commit_conn_) != CONNECTION_OK;
  ASSIGN_OR_RETURN(pg_conn* c, Connected(commit_conn_));
  if (fresh) {
    PQsetNoticeReceiver(c, NoticeReceiver, &sync_wait_cancelled_);
    Result prepared(PQprepare(c, "ledger_insert", kInsert, 5, nullptr));
    if (!prepared.ok()) return FromPostgres(prepared.sqlstate(), PQerrorMessage(c), "preparing the commit");
  }
  sync_wait_cancelled_ = false;
  // One round trip: BEGIN, the fence, every insert and COMMIT go out as one pipeline.
  const std::string term_text = absl::StrCat(held), lease = absl::StrCat(absl::ToDoubleSeconds(options_.lease));
  const char* fence[] = {term_text.c_str(), options_.node.c_str(), lease.c_str()};
  bool sent = PQenterPipelineMode(c) == 1 && PQsendQueryParams(c, "BEGIN", 0, nullptr, nullptr, nullptr, nullptr, 0) &&
              PQsendQueryParams(c, "SELECT ledger_fence($1::bigint, $2, $3::float8)", 3, nullptr, fence, nullptr,
                                nullptr, 0);
  for (size_t i = 0; sent && i < events.size(); ++i) {
    const ReplicatedEvent& e = events[i];
    const std::string seq = absl::StrCat(e.seq);
    const char* values[] = {seq.c_str(), e.request_id.c_str(), e.request_digest.data(), e.bytes.data(), e.hash.data()};
    const int lengths[] = {0, 0, static_cast<int>(e.request_digest.size()), static_cast<int>(e.bytes.size()),
                           static_cast<int>(e.hash.size())};
    const int formats[] = {0, 0, 1, 1, 1};
    sent = PQsendQueryPrepared(c, "ledger_insert", 5, values, lengths, formats, 0) == 1;
  }
  // Delivered to the followers' WaitForCommit when (and only if) the transaction commits.
  sent = sent && PQsendQueryParams(c, "NOTIFY ledger_events", 0, nullptr, nullptr, nullptr, nullptr, 0) &&
         PQsendQueryParams(c, "COMMIT", 0, nullptr, nullptr, nullptr, nullptr, 0) && PQpipelineSync(c) == 1;

  // Every answer up to the sync, within the timeout; the first error is the one that counts.
  const absl::Time deadline = absl::Now() + options_.timeout;
  std::string sqlstate, message;
  bool synced = false, timed_out = false;
  while (sent && !synced) {
    while (PQisBusy(c) && PQstatus(c) == CONNECTION_OK) {
      pollfd p{PQsocket(c), POLLIN, 0};
      const int64_t left = absl::ToInt64Milliseconds(deadline - absl::Now());
      if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) == 0) {
        timed_out = true;
        break;
      }
      if (PQconsumeInput(c) == 0) break;
    }
    if (timed_out || PQstatus(c) != CONNECTION_OK) break;
    PGresult* r = PQgetResult(c);
    if (r == nullptr) continue;  // the end of one statement's results
    const ExecStatusType status = PQresultStatus(r);
    if (status == PGRES_PIPELINE_SYNC) {
      synced = true;
    } else if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_PIPELINE_ABORTED &&
               message.empty()) {
      const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
      sqlstate = state != nullptr ? state : "";
      message = PQresultErrorMessage(r);
    }
    PQclear(r);
  }
  if (!synced) {
    // Dropped, never cancelled (see the header): the transaction commits, or not, on its own.
    const std::string why = timed_out ? absl::StrCat("no answer within ", absl::FormatDuration(options_.timeout))
                                      : std::string(PQerrorMessage(c));
    PQfinish(commit_conn_);
    commit_conn_ = nullptr;
    return absl::UnavailableError(
        absl::StrCat("committing seqs ", events.front().seq, "..", events.back().seq, " to the replicated log: ", why,
                     "; whether they were committed is unknown"));
  }
  PQexitPipelineMode(c);
  if (!message.empty()) {
    return FromPostgres(sqlstate, message,
                        absl::StrCat("committing seqs ", events.front().seq, "..", events.back().seq));
  }
  if (sync_wait_cancelled_) {
    return absl::UnavailableError(absl::StrCat("seqs ", events.front().seq, "..", events.back().seq,
                                               " were committed on the primary without a standby's flush"));
  }
  return absl::OkStatus();
}

}  // namespace salesledger
