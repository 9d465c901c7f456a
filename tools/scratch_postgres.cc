#include "tools/scratch_postgres.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "base/files.h"
#include "base/status_macros.h"

namespace salesledger {
namespace {

constexpr char kBin[] = "/usr/lib/postgresql/15/bin";

// Runs `command` as the postgres user when we are root.
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

}  // namespace

absl::StatusOr<std::unique_ptr<ScratchPostgres>> ScratchPostgres::Start(const std::string& dir,
                                                                       const std::string& user,
                                                                       const std::string& settings) {
  if (!std::filesystem::exists(absl::StrCat(kBin, "/initdb"))) {
    return absl::FailedPreconditionError(
        absl::StrCat("PostgreSQL 15 is not installed (no ", kBin, "/initdb): apt-get install postgresql-15"));
  }
  std::filesystem::create_directories(dir);
  if (::geteuid() == 0 && std::system(absl::StrCat("chown postgres: ", dir).c_str()) != 0) {
    return absl::InternalError(absl::StrCat("cannot give ", dir, " to the postgres user"));
  }
  absl::StatusOr<int> port = FreeLoopbackPort();
  if (!port.ok()) return port.status();
  // initdb's own files are synced by the server's first checkpoint; --no-sync only shortens setup.
  if (absl::Status s = Run(absl::StrCat(kBin, "/initdb --no-sync -A trust -U ", user, " -E UTF8 -D ", dir,
                                        "/data >", dir, "/initdb.log 2>&1"));
      !s.ok()) {
    return absl::InternalError(absl::StrCat(s.message(), "\n", ReadWholeFile(dir + "/initdb.log").value_or("")));
  }
  std::unique_ptr<ScratchPostgres> server(new ScratchPostgres(dir, user, settings, *port));
  RETURN_IF_ERROR(server->StartServer());
  return server;
}

absl::Status ScratchPostgres::StartServer() {
  if (absl::Status s = Run(absl::StrCat(kBin, "/pg_ctl -w -s -D ", dir_, "/data -l ", dir_, "/server.log",
                                        " -o \"-c port=", port_, " -c listen_addresses=127.0.0.1",
                                        " -c unix_socket_directories=", dir_,
                                        " -c max_connections=300 -c fsync=on -c synchronous_commit=on",
                                        " -c full_page_writes=on ", settings_, "\" start"));
      !s.ok()) {
    return absl::InternalError(absl::StrCat(s.message(), "\n", ReadWholeFile(dir_ + "/server.log").value_or("")));
  }
  return absl::OkStatus();
}

absl::Status ScratchPostgres::Crash() {
  return Run(absl::StrCat(kBin, "/pg_ctl -w -s -m immediate -D ", dir_, "/data stop"));
}

absl::Status ScratchPostgres::Restart() { return StartServer(); }

ScratchPostgres::~ScratchPostgres() {
  Run(absl::StrCat(kBin, "/pg_ctl -w -s -m fast -D ", dir_, "/data stop >/dev/null 2>&1")).IgnoreError();
  std::filesystem::remove_all(dir_);
}

std::string ScratchPostgres::conninfo() const {
  return absl::StrCat("host=127.0.0.1 port=", port_, " user=", user_, " dbname=postgres");
}

}  // namespace salesledger
