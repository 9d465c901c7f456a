#include "tools/postgres_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "base/files.h"
#include "libpq-fe.h"

namespace salesledger {
namespace {

constexpr char kBin[] = "/usr/lib/postgresql/15/bin";

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

// Runs `command` as the postgres user when we are root (initdb refuses root).
absl::Status Run(const std::string& command) {
  const std::string full = ::geteuid() == 0 ? absl::StrCat("runuser -u postgres -- ", command) : command;
  if (std::system(full.c_str()) != 0) return absl::InternalError(absl::StrCat("failed: ", full));
  return absl::OkStatus();
}

absl::StatusOr<int> FreeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    if (fd >= 0) ::close(fd);
    return absl::InternalError("no free loopback port for PostgreSQL");
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

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
  if (!std::filesystem::exists(absl::StrCat(kBin, "/initdb"))) {
    return absl::FailedPreconditionError(
        absl::StrCat("PostgreSQL 15 is not installed (no ", kBin, "/initdb): apt-get install postgresql-15"));
  }
  std::filesystem::create_directories(scratch_dir);
  if (::geteuid() == 0 && std::system(absl::StrCat("chown postgres: ", scratch_dir).c_str()) != 0) {
    return absl::InternalError(absl::StrCat("cannot give ", scratch_dir, " to the postgres user"));
  }
  absl::StatusOr<int> port = FreeLoopbackPort();
  if (!port.ok()) return port.status();
  const std::string data = scratch_dir + "/data";
  // initdb's own files are synced by the server's first checkpoint; --no-sync only shortens setup.
  if (absl::Status s = Run(absl::StrCat(kBin, "/initdb --no-sync -A trust -U bench -E UTF8 -D ", data,
                                        " >", scratch_dir, "/initdb.log 2>&1"));
      !s.ok()) {
    return absl::InternalError(absl::StrCat(s.message(), "\n", ReadWholeFile(scratch_dir + "/initdb.log").value_or("")));
  }
  std::unique_ptr<PostgresPeer> peer(new PostgresPeer(scratch_dir, *port));
  if (absl::Status s = Run(absl::StrCat(kBin, "/pg_ctl -w -s -D ", data, " -l ", scratch_dir, "/server.log",
                                        " -o \"-c port=", *port, " -c listen_addresses=127.0.0.1",
                                        " -c unix_socket_directories=", scratch_dir,
                                        " -c max_connections=300 -c fsync=on -c synchronous_commit=on",
                                        " -c full_page_writes=on\" start"));
      !s.ok()) {
    return absl::InternalError(absl::StrCat(s.message(), "\n", ReadWholeFile(scratch_dir + "/server.log").value_or("")));
  }
  Connection c(peer->Conninfo());
  if (PQstatus(c.pg) != CONNECTION_OK) return absl::InternalError(PQerrorMessage(c.pg));
  if (absl::Status s = c.Exec(kSchema); !s.ok()) return s;
  return peer;
}

PostgresPeer::~PostgresPeer() {
  Run(absl::StrCat(kBin, "/pg_ctl -w -s -m fast -D ", dir_, "/data stop")).IgnoreError();
  std::filesystem::remove_all(dir_);
}

std::string PostgresPeer::Conninfo() const {
  return absl::StrCat("host=127.0.0.1 port=", port_, " user=bench dbname=postgres");
}

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
