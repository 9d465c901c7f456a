#include "services/ledger.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/files.h"
#include "base/sha256.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "base/status_macros.h"
#include "base/time_proto.h"
#include "domain/access.h"
#include "domain/apply.h"
#include "domain/decide.h"
#include "domain/validation.h"
#include "projections/state_codec.h"
#include "services/log_key.h"
#include "services/tree_audit.h"

namespace salesledger {
namespace {

using salesledger::v1::Event;

constexpr char kGenesisRequestId[] = "genesis";

absl::StatusOr<std::string> RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    return absl::InternalError("the system random generator failed");
  }
  return ToHex(raw);
}

}  // namespace

bool CheckpointDue(uint64_t head, uint64_t last, uint64_t every) {
  return every > 0 && head >= last && head - last >= std::max(every, last / 10);
}

std::string RequestIdOf(const v1::Command& command) {
  const auto* field = v1::Command::descriptor()->FindFieldByNumber(command.command_case());
  if (field == nullptr) return "";
  const auto& request = command.GetReflection()->GetMessage(command, field);
  const auto* id = request.GetDescriptor()->FindFieldByName("request_id");
  return request.GetReflection()->GetString(request, id);
}

namespace {

// SHA-256 over who asks for what: the actor and the command without its request_id.
std::string RequestDigest(const std::string& actor_id, const v1::Command& command) {
  v1::Command content = command;
  const auto* field = v1::Command::descriptor()->FindFieldByNumber(content.command_case());
  auto* request = content.GetReflection()->MutableMessage(&content, field);
  request->GetReflection()->ClearField(request, request->GetDescriptor()->FindFieldByName("request_id"));
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    content.SerializeToCodedStream(&coded);
  }
  return Sha256(absl::StrCat(actor_id, "\n", bytes));
}

}  // namespace

std::string Ledger::admin_token_path() const { return options_.data_dir + "/admin.token"; }

absl::Time Ledger::Now() const { return (options_.clock != nullptr ? options_.clock : RealClock::Get())->Now(); }

namespace {
// Present while a Ledger has the data dir open: found at Open, the last run did not close it.
constexpr char kRunningMarker[] = "ledger.running";
}  // namespace

Ledger::~Ledger() {
  {
    absl::MutexLock lock(&stop_mu_);
    stopping_ = true;
  }
  if (checkpointer_.joinable()) checkpointer_.join();
  tree_heads_.reset();
  // No command is in flight now (the server has stopped): the published state is the head's.
  if (log_ != nullptr) {
    (void)Checkpoint();
    log_.reset();
    std::error_code ignored;
    std::filesystem::remove(options_.data_dir + "/" + kRunningMarker, ignored);
  }
}

absl::StatusOr<std::unique_ptr<Ledger>> Ledger::Open(const LedgerOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("create ", options.data_dir, ": ", ec.message()));

  std::unique_ptr<Ledger> ledger(new Ledger());
  ledger->options_ = options;
  EventLogOptions log_options;
  log_options.path = options.data_dir + "/ledger";
  log_options.clock = options.clock;
  log_options.env = options.env;
  log_options.on_sync = options.on_sync;
  log_options.tolerate_broken_tail = true;  // decided below, with the whole chain in view
  log_options.upstream = options.upstream;
  ASSIGN_OR_RETURN(ledger->log_, EventLog::Open(log_options));
  ledger->historical_ = std::make_unique<HistoricalStates>(
      [log = ledger->log_.get()](uint64_t seq) -> absl::StatusOr<std::unique_ptr<State>> {
        ASSIGN_OR_RETURN(State state, FoldAt(*log, seq));
        return std::make_unique<State>(std::move(state));
      },
      std::max<size_t>(1, options.max_historical_states), options.historical_state_wait);
  // The log's lock is held now: the marker is this run's.
  const std::string marker = options.data_dir + "/" + kRunningMarker;
  ledger->previous_stop_clean_ = !std::filesystem::exists(marker, ec);
  RETURN_IF_ERROR(WriteSecretFile(marker, absl::StrCat(::getpid(), "\n")));
  ASSIGN_OR_RETURN(LogKey key, LoadOrCreateLogKey(options.data_dir, options.log_name));
  if (options.seal_personal_data && options.upstream == nullptr) {
    ASSIGN_OR_RETURN(ledger->personal_, PersonalData::Open(options.data_dir));
  }
  ledger->log_key_created_ = key.created;
  ledger->tree_heads_ = std::make_unique<TreeHeadSigner>(ledger->log_.get(), std::move(key.signer));
  absl::Status chain = ledger->log_->broken_on_open();
  if (chain.ok() && options.verify_chain_on_open) chain = ledger->log_->VerifyChain(0, 0).status();
  if (!chain.ok()) {
    if (!options.allow_broken_chain) {
      return absl::DataLossError(absl::StrCat(chain.message(), ". Refusing to start on a broken chain; start with ",
                                              "--allow-broken-chain to investigate it read-only"));
    }
    ledger->broken_chain_ = chain;
  }

  // Fold the log into the state: from the persisted checkpoint when it matches the log.
  const absl::Time start = absl::Now();
  ASSIGN_OR_RETURN(State folded, FoldResuming(*ledger->log_, &ledger->fold_report_));
  ledger->working_ = folded;
  {
    absl::MutexLock lock(&ledger->mu_);
    ledger->published_ = std::move(folded);
  }
  ledger->open_time_ = absl::Now() - start;
  {
    absl::MutexLock lock(&ledger->checkpoint_mu_);
    ledger->last_checkpoint_seq_ = ledger->fold_report_.checkpoint_seq;
  }
  {
    std::vector<std::pair<std::string, std::string>> erased;
    for (const auto& [project_id, project] : ledger->working_.projects) {
      for (const auto& [customer_id, customer] : project.customers) {
        if (customer.erased_seq != 0) erased.emplace_back(project_id, customer_id);
      }
    }
    ledger->DestroyErasedKeys(erased);
  }
  Ledger* raw = ledger.get();
  ledger->log_->SetCommitListener([raw](const std::vector<Event>& events) { raw->Publish(events); });

  if (ledger->log_->GetHead().seq == 0 && options.upstream == nullptr) RETURN_IF_ERROR(ledger->CreateGenesis());
  if (ledger->broken_chain_.ok()) {
    // A checkpoint of the tree as it is now, so that there always is one to prove against.
    RETURN_IF_ERROR(ledger->tree_heads_->SignLatest().status());
    ledger->tree_heads_->Start();
  }
  if (options.checkpoint_every_events > 0) ledger->checkpointer_ = std::thread([raw] { raw->CheckpointLoop(); });
  return ledger;
}

absl::Status Ledger::CreateGenesis() {
  if (log_->GetHead().seq != 0) {
    return absl::FailedPreconditionError(absl::StrCat("the ledger already holds ", log_->GetHead().seq, " events"));
  }
  ASSIGN_OR_RETURN(std::string token, RandomHex(32));
  ASSIGN_OR_RETURN(std::string ledger_id, RandomHex(16));
  RETURN_IF_ERROR(WriteSecretFile(admin_token_path(), token + "\n"));
  Proposal genesis;
  genesis.request_id = kGenesisRequestId;
  genesis.request_digest = Sha256(kGenesisRequestId);
  genesis.decide = [this, ledger_id, hash = Sha256(token)](Event& draft) {
    draft.set_actor_id(kSystemPersonId);
    draft.set_policy_version(1);
    draft.mutable_genesis()->set_ledger_id(ledger_id);
    draft.mutable_genesis()->set_admin_token_id(kAdminPersonId);
    draft.mutable_genesis()->set_admin_token_sha256(hash);
    draft.set_prev_hash(GenesisPrevHash());
    Apply(working_, draft);
    return absl::OkStatus();
  };
  ASSIGN_OR_RETURN(Appended appended, log_->Append(std::move(genesis)));
  if (appended.event.seq() != 1) {
    return absl::InternalError(absl::StrCat("genesis landed at seq ", appended.event.seq()));
  }
  created_ = true;
  return absl::OkStatus();
}

absl::Status Ledger::ApplyReplicated(const std::vector<ReplicatedEvent>& events) {
  // Parsed before the log takes them: the log checks them, and the decision state needs them too.
  std::vector<Event> parsed(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    if (!parsed[i].ParseFromString(events[i].bytes)) {
      return absl::DataLossError(absl::StrCat("the replicated log's event at seq ", events[i].seq, " does not decode"));
    }
    parsed[i].set_hash(events[i].hash);
  }
  RETURN_IF_ERROR(log_->AppendReplicated(events));  // the commit listener folds them into published_
  for (const Event& e : parsed) Apply(working_, e);
  return absl::OkStatus();
}

absl::Status Ledger::Checkpoint(bool fresh_history) {
  absl::MutexLock checkpoint_lock(&checkpoint_mu_);
  // Encoding under the reader lock holds back publishing (not deciding) for its duration; the
  // lock is released once the state is encoded, before the file is synced and ingested.
  mu_.ReaderLock();
  bool locked = true;
  auto unlock = [&] {
    if (!std::exchange(locked, false)) return;
    mu_.ReaderUnlock();
  };
  const uint64_t seq = published_.head_seq;
  const CheckpointOptions keep{.retain = fresh_history ? 1 : options_.retained_checkpoints};
  absl::Status written =
      seq == last_checkpoint_seq_ ? absl::OkStatus() : WriteCheckpoint(*log_, published_, unlock, keep);
  unlock();
  if (written.ok()) last_checkpoint_seq_ = seq;
  return written;
}

void Ledger::CheckpointLoop() {
  absl::MutexLock lock(&stop_mu_);
  while (!stopping_) {
    stop_mu_.AwaitWithTimeout(absl::Condition(&stopping_), absl::Seconds(10));
    if (stopping_) break;
    const uint64_t head = log_->GetHead().seq;
    {
      absl::MutexLock rate(&rate_mu_);
      rate_then_ = rate_now_;
      rate_now_ = {absl::Now(), head};
    }
    uint64_t last;
    {
      absl::MutexLock c(&checkpoint_mu_);
      last = last_checkpoint_seq_;
    }
    if (CheckpointDue(head, last, options_.checkpoint_every_events)) {
      stop_mu_.Unlock();
      (void)Checkpoint();  // best effort: the next one, or the one at close, catches up
      stop_mu_.Lock();
    }
  }
}

absl::StatusOr<CommandOutcome> Ledger::Execute(const std::string& actor_id, const v1::Command& command) {
  const v1::Command* one[] = {&command};
  return std::move(ExecuteAll(actor_id, one)[0]);
}

std::vector<absl::StatusOr<CommandOutcome>> Ledger::ExecuteAll(const std::string& actor_id,
                                                               absl::Span<const v1::Command* const> commands) {
  PendingOutcomes pending(actor_id);
  std::vector<Proposal> proposals = Prepare(pending, commands);
  return pending.Finish(log_->AppendAll(std::move(proposals)));
}

std::unique_ptr<PendingOutcomes> Ledger::SubmitAll(const std::string& actor_id,
                                                   absl::Span<const v1::Command* const> commands) {
  auto pending = std::make_unique<PendingOutcomes>(actor_id);
  std::vector<Proposal> proposals = Prepare(*pending, commands);
  pending->appends_ = log_->Submit(std::move(proposals));
  return pending;
}

std::vector<Proposal> Ledger::Prepare(PendingOutcomes& pending, absl::Span<const v1::Command* const> commands) {
  pending.outcomes_.resize(commands.size());
  std::vector<Proposal> proposals;
  if (!broken_chain_.ok()) {
    for (auto& o : pending.outcomes_) {
      o = absl::UnavailableError(absl::StrCat("the ledger was opened on a broken chain for investigation (",
                                              broken_chain_.message(), "); it accepts no entries"));
    }
    return proposals;
  }
  // issue_token and rotate_token: the service makes the token; the ledger keeps only its hash.
  pending.tokens_.resize(commands.size());
  pending.token_hashes_.resize(commands.size());
  pending.registration_keys_.resize(commands.size(), absl::FailedPreconditionError("not a sealed registration"));
  // Registrations' keys are made here, all in one synced batch, outside the log's decide role,
  // which does no I/O.
  // No key for what decide refuses anyway: an actor who may not register, a malformed id (a
  // project defined earlier in the same batch is not in the published state yet: not judged).
  const bool registers = personal_ != nullptr && Read([&](const State& state) {
    auto actor = state.org.people.find(pending.actor_id_);
    return actor != state.org.people.end() && actor->second.active &&
           RequireRoleFor(actor->second, v1::Command::kRegisterCustomer).ok();
  });
  if (registers) {
    std::vector<size_t> registrations;
    std::vector<std::pair<std::string, std::string>> customers;
    for (size_t i = 0; i < commands.size(); ++i) {
      if (commands[i]->command_case() != v1::Command::kRegisterCustomer) continue;
      const v1::RegisterCustomerRequest& r = commands[i]->register_customer();
      if (!CheckId("project_id", r.project_id()).ok() || !CheckId("customer_id", r.customer_id()).ok()) continue;
      registrations.push_back(i);
      customers.emplace_back(commands[i]->register_customer().project_id(),
                             commands[i]->register_customer().customer_id());
    }
    std::vector<absl::StatusOr<PersonalData::RegistrationKeys>> keys = personal_->KeysFor(customers);
    for (size_t k = 0; k < registrations.size(); ++k) pending.registration_keys_[registrations[k]] = std::move(keys[k]);
  }
  for (size_t i = 0; i < commands.size(); ++i) {
    if (commands[i]->command_case() == v1::Command::kIssueToken ||
        commands[i]->command_case() == v1::Command::kRotateToken) {
      absl::StatusOr<std::string> token = RandomHex(32);
      if (!token.ok()) {
        pending.outcomes_[i] = token.status();
        continue;
      }
      pending.tokens_[i] = *token;
      pending.token_hashes_[i] = Sha256(*token);
    }
    Proposal proposal;
    proposal.request_id = RequestIdOf(*commands[i]);
    proposal.request_digest = RequestDigest(pending.actor_id_, *commands[i]);
    proposal.decide = [this, &actor_id = pending.actor_id_, &command = *commands[i],
                       &token_sha256 = pending.token_hashes_[i],
                       keys = personal_ != nullptr && commands[i]->command_case() == v1::Command::kRegisterCustomer
                                  ? &pending.registration_keys_[i]
                                  : nullptr](Event& draft) {
      return DecideAndApply(actor_id, command, token_sha256, keys, draft);
    };
    proposals.push_back(std::move(proposal));
    pending.proposed_.push_back(i);
  }
  return proposals;
}

std::vector<absl::StatusOr<CommandOutcome>> PendingOutcomes::Wait() {
  std::vector<absl::StatusOr<Appended>> appended;
  if (appends_ != nullptr) appended = appends_->Wait();
  return Finish(std::move(appended));
}

std::vector<absl::StatusOr<CommandOutcome>> PendingOutcomes::Finish(std::vector<absl::StatusOr<Appended>> appended) {
  for (size_t k = 0; k < appended.size(); ++k) {
    const size_t i = proposed_[k];
    if (!appended[k].ok()) {
      outcomes_[i] = appended[k].status();
      continue;
    }
    CommandOutcome outcome;
    outcome.event = std::move(appended[k]->event);
    outcome.replayed = appended[k]->replayed;
    outcome.leaf_hash = std::move(appended[k]->leaf_hash);
    // A replayed issue_token or rotate_token shows no token: only its hash was stored.
    if (!outcome.replayed) outcome.token = std::move(tokens_[i]);
    outcomes_[i] = std::move(outcome);
  }
  return std::move(outcomes_);
}

absl::Status Ledger::DecideAndApply(const std::string& actor_id, const v1::Command& command,
                                    const std::string& token_sha256,
                                    const absl::StatusOr<PersonalData::RegistrationKeys>* keys, Event& draft) {
  // A sealed registration: 撞单 looks up the keyed index of the phone (decide normalizes it the
  // same way and refuses a bad one itself), and the event keeps the name and phone sealed.
  std::string phone_index;
  if (keys != nullptr && keys->ok()) {
    if (absl::StatusOr<std::string> digits = NormalizePhone(command.register_customer().phone()); digits.ok()) {
      phone_index = PersonalData::PhoneIndex((*keys)->index_key, *digits);
    }
  }
  RETURN_IF_ERROR(DecideAs(working_, actor_id, command, token_sha256, draft, phone_index));
  if (keys != nullptr) {
    RETURN_IF_ERROR(keys->status());
    RETURN_IF_ERROR(PersonalData::Seal((*keys)->customer_key, draft.project_id(), *draft.mutable_register_customer()));
  }
  if (command.command_case() == v1::Command::kAddCosignature) {
    // After the role and the fields: what only the log knows, its key and its tree (a size
    // within the durable tree, whose nodes no longer change).
    const v1::AddCosignatureRequest& c = command.add_cosignature();
    RETURN_IF_ERROR(CheckCosignature(*log_, tree_heads_->verifier(), c.checkpoint(), c.cosigner_key()).status());
  }
  Apply(working_, draft);
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<const State>> Ledger::StateAt(uint64_t seq) const {
  const uint64_t head = log_->GetHead().seq;
  if (seq > head) {
    return absl::InvalidArgumentError(absl::StrCat("as_of_seq ", seq, " is past the head (seq ", head, ")"));
  }
  return historical_->Get(seq);
}

absl::StatusOr<Head> Ledger::Backup(const std::string& path) {
  if (path.empty() || path[0] != '/') return absl::InvalidArgumentError("field 'path' must be an absolute path");
  if (std::filesystem::exists(path)) {
    return absl::AlreadyExistsError(absl::StrCat(path, " already exists; back up into a new directory"));
  }
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("create ", path, ": ", ec.message()));
  ASSIGN_OR_RETURN(const Head head, log_->Backup(path + "/ledger"));
  for (const char* secret : {"admin.token", kLogKeyFile}) {
    ASSIGN_OR_RETURN(const std::string content, ReadSecretFile(options_.data_dir + "/" + secret));
    RETURN_IF_ERROR(WriteSecretFile(path + "/" + secret, content));
  }
  if (personal_ != nullptr) {
    // The keys after the log: a customer registered meanwhile has a key in the copy, never an
    // event without one. The list says which erasures the copy holds (README: restoring).
    ASSIGN_OR_RETURN(const std::string master, ReadSecretFile(options_.data_dir + "/" + kMasterKeyFile));
    RETURN_IF_ERROR(WriteSecretFile(path + "/" + kMasterKeyFile, master));
    RETURN_IF_ERROR(personal_->Backup(path + "/keys"));
    RETURN_IF_ERROR(WriteSecretFile(path + "/erasures.tsv", ErasureList()));
  }
  return head;
}

Ledger::Status Ledger::GetStatus() const {
  Status status;
  status.head = log_->GetHead();
  const absl::Time now = Now();
  {
    absl::ReaderMutexLock lock(&mu_);
    status.projection_seq = published_.head_seq;
    for (const auto& [id, token] : published_.org.tokens) {
      if (!token.revoked && token.expires_at > now && token.expires_at <= now + kExpiryWarning) {
        status.expiring_tokens.push_back(token);
      }
    }
  }
  status.historical = historical_->usage();
  std::sort(status.expiring_tokens.begin(), status.expiring_tokens.end(), [](const Token& a, const Token& b) {
    return std::tie(a.expires_at, a.token_id) < std::tie(b.expires_at, b.token_id);
  });
  {
    absl::MutexLock lock(&checkpoint_mu_);
    status.checkpoint_seq = last_checkpoint_seq_;
  }
  {
    absl::MutexLock lock(&rate_mu_);
    const double seconds = absl::ToDoubleSeconds(rate_now_.first - rate_then_.first);
    if (seconds > 0 && rate_then_.first != absl::Time()) {
      status.events_per_second = (rate_now_.second - rate_then_.second) / seconds;
    }
  }
  std::error_code ec;
  for (const auto& f : std::filesystem::recursive_directory_iterator(options_.data_dir, ec)) {
    if (f.is_regular_file(ec)) status.disk_bytes += f.file_size(ec);
  }
  return status;
}

absl::StatusOr<uint64_t> Ledger::RebuildOnline(const std::function<void(uint64_t, uint64_t)>& progress) {
  // Fold without holding any lock: the log only grows, and every event read is durable.
  ASSIGN_OR_RETURN(State rebuilt, FoldFromScratch(*log_, log_->GetHead().seq, progress));
  // Catch up outside the lock until close to the head, then the last few under it.
  for (int round = 0; round < 5; ++round) {
    const uint64_t head = log_->GetHead().seq;
    if (head - rebuilt.head_seq < 1000) break;
    RETURN_IF_ERROR(FoldInto(*log_, rebuilt, head));
    if (progress) progress(rebuilt.head_seq, head);
  }
  uint64_t swapped_at;
  {
    absl::MutexLock lock(&mu_);
    // Publish holds this lock to fold a group, so published_.head_seq cannot move now, and every
    // event up to it is durable in the log.
    RETURN_IF_ERROR(FoldInto(*log_, rebuilt, published_.head_seq));
    if (rebuilt.head_seq != published_.head_seq) {
      return absl::InternalError(absl::StrCat("the rebuild reached seq ", rebuilt.head_seq, " but the readers are at ",
                                              published_.head_seq));
    }
    swapped_at = rebuilt.head_seq;
    published_ = std::move(rebuilt);
  }
  if (progress) progress(swapped_at, swapped_at);
  {
    absl::MutexLock checkpoint_lock(&checkpoint_mu_);
    last_checkpoint_seq_ = 0;  // force a fresh checkpoint of the rebuilt state
  }
  RETURN_IF_ERROR(Checkpoint(/*fresh_history=*/true));
  return swapped_at;
}

absl::StatusOr<std::pair<uint64_t, bool>> Ledger::VerifyPublished() const {
  ASSIGN_OR_RETURN(State fresh, FoldFromScratch(*log_, log_->GetHead().seq));
  absl::ReaderMutexLock lock(&mu_);
  RETURN_IF_ERROR(FoldInto(*log_, fresh, published_.head_seq));
  if (fresh.head_seq != published_.head_seq) {
    return absl::InternalError(absl::StrCat("the fold reached seq ", fresh.head_seq, ", the readers are at ",
                                            published_.head_seq));
  }
  return std::make_pair(fresh.head_seq, StateDigest(fresh) == StateDigest(published_));
}

uint64_t Ledger::WaitForPublished(uint64_t seq, absl::Duration timeout) const {
  absl::ReaderMutexLock lock(&mu_);
  struct Args {
    const State* state;
    uint64_t seq;
  } args{&published_, seq};
  mu_.AwaitWithTimeout(absl::Condition(+[](Args* a) { return a->state->head_seq > a->seq; }, &args), timeout);
  return published_.head_seq;
}

void Ledger::Publish(const std::vector<Event>& events) {
  std::vector<std::pair<std::string, std::string>> erased;
  {
    absl::MutexLock lock(&mu_);
    for (const Event& e : events) {
      Apply(published_, e);
      if (e.has_decide_erasure() && e.decide_erasure().approve()) {
        erased.emplace_back(e.project_id(), e.decide_erasure().customer_id());
      }
    }
  }
  // Before the callers are answered: an acknowledged erasure has destroyed the key.
  if (!erased.empty()) DestroyErasedKeys(erased);
}

void Ledger::DestroyErasedKeys(const std::vector<std::pair<std::string, std::string>>& customers) {
  if (personal_ == nullptr) return;
  for (const auto& [project_id, customer_id] : customers) {
    // On failure the key stays until the next start tries again; readers see the customer erased
    // meanwhile, since the state holds nothing of it.
    if (absl::Status s = personal_->Erase(project_id, customer_id); !s.ok()) {
      std::cerr << "ledgerd: the data key of customer " << customer_id << " of " << project_id
                << " could not be destroyed yet (" << s << "); it is tried again at the next start" << std::endl;
    }
  }
}

const PersonalFields& Ledger::personal_fields() const {
  return personal_ != nullptr ? static_cast<const PersonalFields&>(*personal_) : NoPersonalKeys();
}

std::string Ledger::ErasureList() const {
  std::vector<std::tuple<uint64_t, std::string, std::string>> erased;
  Read([&](const State& state) {
    for (const auto& [project_id, project] : state.projects) {
      for (const auto& [customer_id, customer] : project.customers) {
        if (customer.erased_seq != 0) erased.emplace_back(customer.erased_seq, project_id, customer_id);
      }
    }
  });
  std::sort(erased.begin(), erased.end());
  std::string out;
  for (const auto& [seq, project_id, customer_id] : erased) absl::StrAppend(&out, project_id, "\t", customer_id, "\t", seq, "\n");
  return out;
}

absl::StatusOr<Ledger::Principal> Ledger::AuthenticateToken(absl::string_view bearer_token) const {
  const std::string hash = Sha256(bearer_token);
  const absl::Time now = Now();
  absl::ReaderMutexLock lock(&mu_);
  const OrgState& org = published_.org;
  auto id = org.token_by_hash.find(hash);
  if (id == org.token_by_hash.end()) return absl::UnauthenticatedError("unknown bearer token");
  const Token& token = org.tokens.at(id->second);
  // The map lookup is by hash; confirm in constant time anyway, so no comparison leaks timing.
  if (CRYPTO_memcmp(token.sha256.data(), hash.data(), kHashSize) != 0) {
    return absl::UnauthenticatedError("unknown bearer token");
  }
  if (token.revoked) return absl::UnauthenticatedError(absl::StrCat("token '", token.token_id, "' was revoked"));
  if (now >= token.expires_at) {
    return absl::UnauthenticatedError(absl::StrCat(
        "token '", token.token_id, "' expired at ", absl::FormatTime(absl::RFC3339_sec, token.expires_at, absl::UTCTimeZone()),
        "; ask your administrator to issue a new one (rotate a token before it expires: ledgerctl token rotate)"));
  }
  auto person = org.people.find(token.person_id);
  if (person == org.people.end() || !person->second.active) {
    return absl::UnauthenticatedError(absl::StrCat("person '", token.person_id, "' is not active"));
  }
  return Principal{person->second, token.token_id};
}

absl::StatusOr<Person> Ledger::Authenticate(absl::string_view bearer_token) const {
  ASSIGN_OR_RETURN(Principal principal, AuthenticateToken(bearer_token));
  return std::move(principal.person);
}

absl::StatusOr<CommandOutcome> Ledger::RecordStart(absl::string_view version) {
  const Head head = log_->GetHead();
  v1::Command command;
  v1::ServerStartedRequest* started = command.mutable_server_started();
  ASSIGN_OR_RETURN(const std::string nonce, RandomHex(8));
  started->set_request_id(absl::StrCat("server-started-", head.seq + 1, "-", nonce));
  started->set_previous_stop_clean(previous_stop_clean_);
  *started->mutable_last_recorded_at() = ToProto(head.recorded_at);
  started->set_version(std::string(version));
  return Execute(kSystemPersonId, command);
}

}  // namespace salesledger
