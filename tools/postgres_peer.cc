#include "tools/postgres_peer.h"

#include <atomic>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libpq-fe.h"

namespace salesledger {
namespace {

// The schema and the append, as a DBA would write them: one locked head row, the chain computed
// inside the transaction so that no client can break it.
constexpr char kSchema[] = R"sql(
CREATE TABLE head (id int PRIMARY KEY, seq bigint NOT NULL, hash bytea NOT NULL);
INSERT INTO head VALUES (1, 0, decode(repeat('00', 32), 'hex'));
CREATE TABLE events (seq bigint PRIMARY KEY, request_id text NOT NULL UNIQUE, body bytea NOT NULL,
                     hash bytea NOT NULL);
CREATE FUNCTION append_event(rid text, body bytea) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE s bigint; h bytea;
BEGIN
  SELECT seq, hash INTO s, h FROM head WHERE id = 1 FOR UPDATE;
  h := sha256(h || body);
  INSERT INTO events VALUES (s + 1, rid, body, h);
  UPDATE head SET seq = s + 1, hash = h WHERE id = 1;
  RETURN s + 1;
END $$;
)sql";

// A libpq connection that closes itself.
struct Connection {
  explicit Connection(const std::string& conninfo) : pg(PQconnectdb(conninfo.c_str())) {}
  ~Connection() { PQfinish(pg); }
  absl::Status Exec(const char* sql) {
    PGresult* r = PQexec(pg, sql);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    return ok ? absl::OkStatus() : absl::InternalError(absl::StrCat(sql, ": ", PQerrorMessage(pg)));
  }
  PGconn* pg;
};

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresPeer>> PostgresPeer::Start(const std::string& scratch_dir) {
  absl::StatusOr<std::unique_ptr<ScratchPostgres>> server = ScratchPostgres::Start(scratch_dir, "bench");
  if (!server.ok()) return server.status();
  std::unique_ptr<PostgresPeer> peer(new PostgresPeer(*std::move(server)));
  Connection c(peer->Conninfo());
  if (PQstatus(c.pg) != CONNECTION_OK) return absl::InternalError(PQerrorMessage(c.pg));
  if (absl::Status s = c.Exec(kSchema); !s.ok()) return s;
  return peer;
}

PostgresPeer::~PostgresPeer() = default;

std::string PostgresPeer::Conninfo() const { return server_->conninfo(); }

absl::StatusOr<std::vector<absl::Duration>> PostgresPeer::Append(int clients, absl::Duration duration,
                                                                  size_t bytes) {
  std::vector<absl::Duration> all;
  std::mutex mu;  // guards `all` and `failure`
  absl::Status failure;
  std::atomic<bool> go{false}, stop{false};
  // Request ids go on from the last run: every id taken so far was acknowledged.
  std::atomic<uint64_t> next{appended_}, acknowledged{0};
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&] {
      Connection c(Conninfo());
      PGresult* prepared = PQprepare(c.pg, "append", "SELECT append_event($1, $2)", 2, nullptr);
      const bool ok = PQstatus(c.pg) == CONNECTION_OK && PQresultStatus(prepared) == PGRES_COMMAND_OK;
      PQclear(prepared);
      ++ready;
      if (!ok) {
        std::lock_guard<std::mutex> lock(mu);
        failure = absl::InternalError(PQerrorMessage(c.pg));
        return;
      }
      const std::string body(bytes, 'x');
      std::vector<absl::Duration> mine;
      while (!go.load()) absl::SleepFor(absl::Microseconds(100));
      while (!stop.load(std::memory_order_relaxed)) {
        const std::string request_id = absl::StrCat("r", next++);
        const char* values[2] = {request_id.c_str(), body.data()};
        const int lengths[2] = {0, static_cast<int>(body.size())};
        const int formats[2] = {0, 1};  // the body travels as binary bytea
        const absl::Time begin = absl::Now();
        PGresult* r = PQexecPrepared(c.pg, "append", 2, values, lengths, formats, 0);
        const bool appended = PQresultStatus(r) == PGRES_TUPLES_OK;
        PQclear(r);
        if (!appended) {
          std::lock_guard<std::mutex> lock(mu);
          failure = absl::InternalError(PQerrorMessage(c.pg));
          return;
        }
        mine.push_back(absl::Now() - begin);
        ++acknowledged;
      }
      std::lock_guard<std::mutex> lock(mu);
      all.insert(all.end(), mine.begin(), mine.end());
    });
  }
  // The clock starts once every client has connected, as the gRPC rows' channels are made first.
  while (ready.load() < clients) absl::SleepFor(absl::Milliseconds(1));
  go = true;
  absl::SleepFor(duration);
  stop = true;
  for (auto& t : threads) t.join();
  if (!failure.ok()) return failure;
  appended_ += acknowledged;
  Connection c(Conninfo());
  PGresult* r = PQexec(c.pg, "SELECT count(*), (SELECT seq FROM head) FROM events");
  const bool counted = PQresultStatus(r) == PGRES_TUPLES_OK;
  const std::string rows = counted ? PQgetvalue(r, 0, 0) : "", head = counted ? PQgetvalue(r, 0, 1) : "";
  PQclear(r);
  if (rows != absl::StrCat(appended_) || head != rows) {
    return absl::InternalError(absl::StrCat("the peer acknowledged ", appended_, " appends but holds ", rows,
                                            " rows with head at ", head));
  }
  return all;
}

}  // namespace salesledger
