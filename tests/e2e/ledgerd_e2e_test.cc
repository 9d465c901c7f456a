// End to end: a real ledgerd on a loopback port, spoken to over gRPC.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "base/sha256.h"
#include "salesledger/v1/audit.grpc.pb.h"
#include "tests/testing/ledgerd_process.h"
#include "tests/testing/raw_ledger.h"
#include "tests/testing/temp_dir.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;
using v1::AuditService;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class LedgerdE2eTest : public ::testing::Test {
 protected:
  std::string DataDir() { return dir_.Sub("data"); }
  testing::TempDir dir_;
};

TEST_F(LedgerdE2eTest, ServesAuditHealthAndReflectionAndRestarts) {
  std::string first_hash;
  {
    testing::LedgerdProcess ledgerd(LEDGERD_PATH, DataDir());
    const std::string token = ledgerd.AdminToken();
    ASSERT_EQ(token.size(), 64u);
    struct stat st {};
    ASSERT_EQ(::stat((DataDir() + "/admin.token").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600);
    EXPECT_THAT(ReadAll(ledgerd.output_path()), HasSubstr("admin bearer token is in"));

    // Channels are closed before each stop: an idle client connection holds a graceful shutdown
    // open for gRPC's drain period.
    {
      auto stub = AuditService::NewStub(ledgerd.Channel());
      {
        grpc::ClientContext ctx;
        testing::Authorize(ctx, token);
        v1::GetHeadResponse head;
        ASSERT_TRUE(stub->GetHead(&ctx, v1::GetHeadRequest(), &head).ok());
        EXPECT_EQ(head.seq(), 2u);  // the genesis, and this start on record
        first_hash = head.hash();
      }
      {
        grpc::ClientContext ctx;
        testing::Authorize(ctx, token);
        v1::ReadEventsRequest req;
        req.set_include_raw(true);
        auto reader = stub->ReadEvents(&ctx, req);
        v1::ReadEventsResponse r;
        std::vector<v1::ReadEventsResponse> all;
        while (reader->Read(&r)) all.push_back(r);
        ASSERT_TRUE(reader->Finish().ok());
        ASSERT_EQ(all.size(), 2u);
        EXPECT_EQ(all[0].event().seq(), 1u);
        ASSERT_TRUE(all[0].event().has_genesis());
        EXPECT_EQ(all[0].event().genesis().admin_token_sha256(), Sha256(token));
        // The start: a new ledger has no previous run to have stopped badly.
        ASSERT_TRUE(all[1].event().has_server_started());
        EXPECT_EQ(all[1].event().actor_id(), "system");
        EXPECT_TRUE(all[1].event().server_started().previous_stop_clean());
        EXPECT_EQ(all[1].event().server_started().last_recorded_at().seconds(), all[0].event().recorded_at().seconds());
        // The chain is checkable from the raw bytes alone.
        EXPECT_EQ(ChainHash(GenesisPrevHash(), all[0].raw()), all[0].event().hash());
        EXPECT_EQ(ChainHash(all[0].event().hash(), all[1].raw()), all[1].event().hash());
        EXPECT_EQ(all[1].event().hash(), first_hash);
      }
      {
        grpc::ClientContext ctx;
        testing::Authorize(ctx, token);
        v1::VerifyChainResponse verified;
        ASSERT_TRUE(stub->VerifyChain(&ctx, v1::VerifyChainRequest(), &verified).ok());
        EXPECT_EQ(verified.verified_to(), 2u);
        EXPECT_EQ(verified.hash(), first_hash);
      }
      {
        grpc::ClientContext ctx;  // no token
        v1::GetHeadResponse head;
        grpc::Status s = stub->GetHead(&ctx, v1::GetHeadRequest(), &head);
        EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
        EXPECT_THAT(s.error_message(), HasSubstr("Bearer"));
      }
      {
        grpc::ClientContext ctx;
        testing::Authorize(ctx, std::string(64, 'a'));
        v1::GetHeadResponse head;
        grpc::Status s = stub->GetHead(&ctx, v1::GetHeadRequest(), &head);
        EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
        EXPECT_THAT(s.error_message(), HasSubstr("unknown bearer token"));
      }
      {
        grpc::ClientContext ctx;  // unauthenticated streams are refused too
        auto reader = stub->ReadEvents(&ctx, v1::ReadEventsRequest());
        v1::ReadEventsResponse r;
        EXPECT_FALSE(reader->Read(&r));
        EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
      }
      {
        auto health = grpc::health::v1::Health::NewStub(ledgerd.Channel());
        grpc::ClientContext ctx;
        grpc::health::v1::HealthCheckResponse response;
        ASSERT_TRUE(health->Check(&ctx, grpc::health::v1::HealthCheckRequest(), &response).ok());
        EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
      }
      {
        auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(ledgerd.Channel());
        grpc::ClientContext ctx;
        auto stream = reflection->ServerReflectionInfo(&ctx);
        grpc::reflection::v1alpha::ServerReflectionRequest req;
        req.set_list_services("");
        ASSERT_TRUE(stream->Write(req));
        stream->WritesDone();
        grpc::reflection::v1alpha::ServerReflectionResponse response;
        ASSERT_TRUE(stream->Read(&response));
        std::vector<std::string> names;
        for (const auto& s : response.list_services_response().service()) names.push_back(s.name());
        EXPECT_THAT(names, ::testing::IsSupersetOf({"salesledger.v1.AuditService", "grpc.health.v1.Health"}));
        EXPECT_TRUE(stream->Finish().ok());
      }
    }
    EXPECT_EQ(ledgerd.Stop(SIGTERM), 0);
    EXPECT_THAT(ReadAll(ledgerd.output_path()), HasSubstr("ledgerd: stopped"));
  }

  // Restart on the same data: same ledger, same token, no new genesis; the clean stop is on record.
  auto start_event = [](testing::LedgerdProcess& ledgerd, uint64_t seq) {
    auto stub = AuditService::NewStub(ledgerd.Channel());
    grpc::ClientContext ctx;
    testing::Authorize(ctx, ledgerd.AdminToken());
    v1::ReadEventsRequest req;
    req.set_from_seq(seq);
    req.set_to_seq(seq);
    auto reader = stub->ReadEvents(&ctx, req);
    v1::ReadEventsResponse r;
    EXPECT_TRUE(reader->Read(&r));
    EXPECT_TRUE(reader->Finish().ok());
    return r.event();
  };
  {
    testing::LedgerdProcess again(LEDGERD_PATH, DataDir());
    const v1::Event started = start_event(again, 3);
    EXPECT_EQ(started.seq(), 3u);
    ASSERT_TRUE(started.has_server_started());
    EXPECT_TRUE(started.server_started().previous_stop_clean());
    EXPECT_EQ(started.prev_hash(), first_hash);
    EXPECT_EQ(again.Stop(SIGINT), 0);
  }
  // After kill -9 the next start says the last run did not stop cleanly, and when it last wrote.
  {
    testing::LedgerdProcess killed(LEDGERD_PATH, DataDir());
    const v1::Event own_start = start_event(killed, 4);
    EXPECT_TRUE(own_start.has_server_started());
    killed.Stop(SIGKILL);
    testing::LedgerdProcess after(LEDGERD_PATH, DataDir());
    const v1::Event started = start_event(after, 5);
    ASSERT_TRUE(started.has_server_started());
    EXPECT_FALSE(started.server_started().previous_stop_clean());
    EXPECT_EQ(started.server_started().last_recorded_at().seconds(), own_start.recorded_at().seconds());
    EXPECT_EQ(started.server_started().last_recorded_at().nanos(), own_start.recorded_at().nanos());
    EXPECT_THAT(ReadAll(after.output_path()), HasSubstr("the previous run did not stop cleanly"));
    EXPECT_EQ(after.Stop(SIGTERM), 0);
  }
}

TEST_F(LedgerdE2eTest, SecondServerOnTheSameDataDirIsRefused) {
  testing::LedgerdProcess ledgerd(LEDGERD_PATH, DataDir());
  std::string command = std::string(LEDGERD_PATH) + " --listen 127.0.0.1:0 --data-dir " + DataDir() + " > " +
                        dir_.Sub("second.log") + " 2>&1";
  int rc = std::system(command.c_str());
  EXPECT_NE(rc, 0);
  EXPECT_THAT(ReadAll(dir_.Sub("second.log")), HasSubstr("in use by another process"));
}

// A client in another language (Python, hand-decoded protobuf) verifies the chain from
// ReadEvents(include_raw=true) alone, and finds a changed event.
TEST_F(LedgerdE2eTest, PythonClientVerifiesTheChainFromRawBytes) {
  {
    testing::LedgerdProcess first(LEDGERD_PATH, DataDir());
    first.Stop(SIGTERM);
  }
  std::string output;
  ASSERT_EQ(
      testing::RunCommand(absl::StrCat(TEST_APPENDER_PATH, " ", DataDir(), "/ledger ", dir_.Sub("acks"), " py 4 50"),
                 &output),
      0)
      << output;
  auto verify = [&](int port) {
    return absl::StrCat("/usr/bin/python3 ", VERIFY_CHAIN_PY, " 127.0.0.1:", port, " ", DataDir(),
                        "/admin.token");
  };
  {
    testing::LedgerdProcess ledgerd(LEDGERD_PATH, DataDir());
    EXPECT_EQ(testing::RunCommand(verify(ledgerd.port()), &output), 0) << output;
    EXPECT_THAT(output, HasSubstr("chain verified: 203 events"));  // genesis, two starts, 200 appended
    ledgerd.Stop(SIGTERM);
  }
  {
    testing::RawLedger raw(DataDir() + "/ledger");
    std::string value = *raw.GetEvent(77);
    value[value.size() - kHashSize - 5] ^= 0x04;  // inside prev_hash: still decodable
    raw.PutEvent(77, value);
  }
  // ledgerd refuses a broken chain; --allow-broken-chain serves it for this investigation.
  testing::LedgerdProcess ledgerd(LEDGERD_PATH, DataDir(), {"--allow-broken-chain"});
  EXPECT_EQ(testing::RunCommand(verify(ledgerd.port()), &output), 1) << output;
  EXPECT_THAT(output, HasSubstr("DATA_LOSS at seq 77"));
  ledgerd.Stop(SIGTERM);
}

// Tampering: one event's bytes changed through the RocksDB API while the server is stopped.
TEST_F(LedgerdE2eTest, TamperedLedgerIsFoundAndRefused) {
  { testing::LedgerdProcess first(LEDGERD_PATH, DataDir()); first.Stop(SIGTERM); }
  std::string output;
  ASSERT_EQ(testing::RunCommand(absl::StrCat(TEST_APPENDER_PATH, " ", DataDir(), "/ledger ", dir_.Sub("acks"), " t 4 25"),
                                &output),
            0)
      << output;
  ASSERT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " verify --data-dir ", DataDir()), &output), 0) << output;
  {
    testing::RawLedger raw(DataDir() + "/ledger");
    std::string value = *raw.GetEvent(40);
    value[value.size() - kHashSize - 3] ^= 0x20;  // inside prev_hash: still decodable
    raw.PutEvent(40, value);
  }
  EXPECT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " verify --data-dir ", DataDir()), &output), 1);
  EXPECT_THAT(output, HasSubstr("seq 40"));
  EXPECT_THAT(output, HasSubstr("DATA_LOSS"));
  EXPECT_EQ(testing::RunCommand(absl::StrCat(LEDGERD_PATH, " --listen 127.0.0.1:0 --data-dir ", DataDir()), &output), 1);
  EXPECT_THAT(output, HasSubstr("seq 40"));
  EXPECT_THAT(output, HasSubstr("--allow-broken-chain"));
  // With the recovery flag it serves reads for the investigation and refuses every entry.
  testing::LedgerdProcess investigation(LEDGERD_PATH, DataDir(), {"--allow-broken-chain"});
  {
    auto stub = AuditService::NewStub(investigation.Channel());
    grpc::ClientContext ctx;
    testing::Authorize(ctx, investigation.AdminToken());
    v1::VerifyChainResponse r;
    grpc::Status s = stub->VerifyChain(&ctx, v1::VerifyChainRequest(), &r);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::DATA_LOSS);
    EXPECT_THAT(s.error_message(), HasSubstr("seq 40"));
  }
  EXPECT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " token issue --person admin --token-id x --server ",
                                             investigation.address(), " --token-file ", DataDir(), "/admin.token"),
                                &output),
            1);
  EXPECT_THAT(output, HasSubstr("UNAVAILABLE"));
  EXPECT_THAT(ReadAll(investigation.output_path()), HasSubstr("WARNING"));
  investigation.Stop(SIGTERM);
}

// TLS: ledgerd with a certificate and key serves only TLS clients.
TEST_F(LedgerdE2eTest, ServesOverTls) {
  const std::string cert = dir_.Sub("cert.pem"), key = dir_.Sub("key.pem");
  std::string output;
  ASSERT_EQ(testing::RunCommand(absl::StrCat("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost ",
                                             "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout ", key,
                                             " -out ", cert),
                                &output),
            0)
      << output;
  testing::LedgerdProcess ledgerd(LEDGERD_PATH, DataDir(), {"--tls-cert", cert, "--tls-key", key});
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadAll(cert);
  {
    auto channel = grpc::CreateChannel(absl::StrCat("localhost:", ledgerd.port()), grpc::SslCredentials(ssl));
    auto stub = AuditService::NewStub(channel);
    grpc::ClientContext ctx;
    testing::Authorize(ctx, ledgerd.AdminToken());
    v1::GetHeadResponse head;
    grpc::Status s = stub->GetHead(&ctx, v1::GetHeadRequest(), &head);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(head.seq(), 2u);  // the genesis and the start
  }
  {
    auto stub = AuditService::NewStub(ledgerd.Channel());  // plaintext to a TLS port
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
    testing::Authorize(ctx, ledgerd.AdminToken());
    v1::GetHeadResponse head;
    EXPECT_FALSE(stub->GetHead(&ctx, v1::GetHeadRequest(), &head).ok());
  }
  EXPECT_EQ(ledgerd.Stop(SIGTERM), 0);
}

// Mutual TLS: with --tls-client-ca, only clients whose certificate that CA signed get through,
// and ledgerctl connects with --tls-ca/--tls-cert/--tls-key.
TEST_F(LedgerdE2eTest, RequiresClientCertificatesSignedByTheGivenCa) {
  auto path = [&](const std::string& name) { return dir_.Sub(name); };
  std::string output;
  auto run = [&](const std::string& command) {
    ASSERT_EQ(testing::RunCommand(command, &output), 0) << command << "\n" << output;
  };
  auto self_signed = [&](const std::string& name, const std::string& subject) {
    run(absl::StrCat("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj ", subject, " -keyout ", path(name + ".key"),
                     " -out ", path(name + ".pem")));
  };
  // Signed by `ca`, with `extensions` (an openssl -extfile line) for the server's name.
  auto signed_by = [&](const std::string& ca, const std::string& name, const std::string& subject,
                       const std::string& extensions) {
    run(absl::StrCat("openssl req -newkey rsa:2048 -nodes -subj ", subject, " -keyout ", path(name + ".key"), " -out ",
                     path(name + ".csr")));
    std::string ext_flag;
    if (!extensions.empty()) {
      run(absl::StrCat("printf '%s\\n' '", extensions, "' > ", path(name + ".ext")));
      ext_flag = " -extfile " + path(name + ".ext");
    }
    run(absl::StrCat("openssl x509 -req -days 2 -in ", path(name + ".csr"), " -CA ", path(ca + ".pem"), " -CAkey ",
                     path(ca + ".key"), " -CAcreateserial -out ", path(name + ".pem"), ext_flag));
  };
  self_signed("ca", "/CN=salesledger-test-ca");
  self_signed("rogue", "/CN=rogue");
  signed_by("ca", "server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
  signed_by("ca", "client", "/CN=ops", "");
  testing::LedgerdProcess ledgerd(LEDGERD_PATH, DataDir(),
                                  {"--tls-cert", path("server.pem"), "--tls-key", path("server.key"),
                                   "--tls-client-ca", path("ca.pem")});
  auto head_code = [&](const std::string& client) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = ReadAll(path("ca.pem"));
    if (!client.empty()) {
      ssl.pem_cert_chain = ReadAll(path(client + ".pem"));
      ssl.pem_private_key = ReadAll(path(client + ".key"));
    }
    auto channel = grpc::CreateChannel(absl::StrCat("localhost:", ledgerd.port()), grpc::SslCredentials(ssl));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    testing::Authorize(ctx, ledgerd.AdminToken());
    v1::GetHeadResponse head;
    return AuditService::NewStub(channel)->GetHead(&ctx, v1::GetHeadRequest(), &head).error_code();
  };
  EXPECT_EQ(head_code("client"), grpc::StatusCode::OK);
  EXPECT_EQ(head_code(""), grpc::StatusCode::UNAVAILABLE);       // no certificate: no handshake
  EXPECT_EQ(head_code("rogue"), grpc::StatusCode::UNAVAILABLE);  // a certificate the CA did not sign

  const std::string tls = absl::StrCat(" --server localhost:", ledgerd.port(), " --token-file ", DataDir(),
                                       "/admin.token --tls-ca ", path("ca.pem"));
  run(absl::StrCat(LEDGERCTL_PATH, " status", tls, " --tls-cert ", path("client.pem"), " --tls-key ", path("client.key")));
  EXPECT_THAT(output, HasSubstr("head"));
  EXPECT_NE(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " status", tls), &output), 0);
  EXPECT_EQ(ledgerd.Stop(SIGTERM), 0);
}

// ledgerctl token issue|revoke through a running server: the new token works at once and stops
// working at once when revoked.
TEST_F(LedgerdE2eTest, LedgerctlIssuesAndRevokesTokens) {
  testing::LedgerdProcess ledgerd(LEDGERD_PATH, DataDir());
  const std::string ctl = absl::StrCat(LEDGERCTL_PATH, " token ");
  const std::string flags = absl::StrCat(" --server ", ledgerd.address(), " --token-file ", DataDir(), "/admin.token");
  std::string output;
  ASSERT_EQ(testing::RunCommand(ctl + "issue --person admin --token-id ops" + flags, &output), 0) << output;
  const std::string token(absl::StripAsciiWhitespace(output));
  ASSERT_EQ(token.size(), 64u);
  auto head = [&](const std::string& t) {
    auto stub = AuditService::NewStub(ledgerd.Channel());
    grpc::ClientContext ctx;
    testing::Authorize(ctx, t);
    v1::GetHeadResponse r;
    return stub->GetHead(&ctx, v1::GetHeadRequest(), &r).error_code();
  };
  EXPECT_EQ(head(token), grpc::StatusCode::OK);
  EXPECT_EQ(testing::RunCommand(ctl + "issue --person admin --token-id ops" + flags, &output), 1);
  EXPECT_THAT(output, HasSubstr("shown only once"));
  ASSERT_EQ(testing::RunCommand(ctl + "revoke --token-id ops" + flags, &output), 0) << output;
  EXPECT_EQ(head(token), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(testing::RunCommand(ctl + "revoke --token-id nobody" + flags, &output), 1);
  EXPECT_THAT(output, HasSubstr("NOT_FOUND"));
  ledgerd.Stop(SIGTERM);
}

// ledgerctl policy show prints a file that ledgerctl policy set publishes; a malformed one is
// refused before it reaches the server.
TEST_F(LedgerdE2eTest, LedgerctlPublishesAPolicyFile) {
  testing::LedgerdProcess ledgerd(LEDGERD_PATH, DataDir());
  const std::string flags = absl::StrCat(" --server ", ledgerd.address(), " --token-file ", DataDir(), "/admin.token");
  const std::string file = dir_.Sub("policy.txt");
  std::string output;
  ASSERT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " policy show > ", file), &output), 0) << output;
  ASSERT_EQ(testing::RunCommand(absl::StrCat("sed -i 's/amount_fen: 5000/amount_fen: 10000/' ", file), &output), 0);
  ASSERT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " policy set --file ", file, flags), &output), 0) << output;
  EXPECT_THAT(output, HasSubstr("published the policy at seq 3"));  // after the genesis and the start
  std::ofstream(dir_.Sub("bad.txt")) << "visit_late { amount_fen: -1 }";
  EXPECT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " policy set --file ", dir_.Sub("bad.txt"), flags), &output), 1);
  EXPECT_THAT(output, HasSubstr("policy."));
  {
    auto stub = AuditService::NewStub(ledgerd.Channel());
    grpc::ClientContext ctx;
    testing::Authorize(ctx, ledgerd.AdminToken());
    v1::ReadEventsRequest read;
    read.set_from_seq(3);
    auto reader = stub->ReadEvents(&ctx, read);
    v1::ReadEventsResponse r;
    ASSERT_TRUE(reader->Read(&r));
    ASSERT_TRUE(r.event().has_set_policy());
    EXPECT_EQ(r.event().set_policy().policy().version(), 2u);
    EXPECT_EQ(r.event().set_policy().policy().visit_late().amount_fen(), 10000);
    EXPECT_FALSE(reader->Read(&r));
    EXPECT_TRUE(reader->Finish().ok());
  }
  ledgerd.Stop(SIGTERM);
}

}  // namespace
}  // namespace salesledger
