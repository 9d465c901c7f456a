// PersonalData: the sealing of customers' personal fields (issue 20) with their data keys, kept in
// the DataKeyStore (ledger/data_key_store.h) under the master key <data_dir>/master.key.
//
//  - A customer's name and phone are sealed (AES-256-GCM, base/aead.h) under the customer's own
//    key, subject "customer <project>/<customer>", each with the aad "salesledger customer
//    <project>/<customer> <name|phone>", so that a sealed value moved to another customer or field
//    does not open.
//  - 撞单 compares PhoneIndex: HMAC-SHA256 of the digits under the project's index key (subject
//    "phone index <project>"), so that the log alone lets no one test a guess of a phone number.
//  - Erase destroys the customer's key: every sealed copy of the name and phone, in the log, in
//    checkpoints and in backups, stops opening.
//
// Keys are cached in memory once read (an erasure drops its customer's). Thread-safe.
#ifndef SALESLEDGER_SERVICES_PERSONAL_DATA_H_
#define SALESLEDGER_SERVICES_PERSONAL_DATA_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "ledger/data_key_store.h"
#include "queries/personal_fields.h"
#include "salesledger/v1/commands.pb.h"

namespace salesledger {

inline constexpr char kMasterKeyFile[] = "master.key";

class PersonalData final : public PersonalFields {
 public:
  // Opens the key store at <data_dir>/keys with the master key <data_dir>/master.key, making the
  // key (mode 0600) at the first start. What ReadSecretFile and DataKeyStore::Open refuse;
  // DATA_LOSS when master.key is not a key.
  static absl::StatusOr<std::unique_ptr<PersonalData>> Open(const std::string& data_dir);

  // The keys sealing a registration needs, made (synced) when missing. FAILED_PRECONDITION when
  // the customer's data was erased (its id cannot be registered again anyway).
  struct RegistrationKeys {
    std::string customer_key, index_key;
  };
  absl::StatusOr<RegistrationKeys> KeysFor(absl::string_view project_id, absl::string_view customer_id);
  // The same for many registrations, the new customer keys written in one synced batch. One answer
  // per (project, customer), in order.
  std::vector<absl::StatusOr<RegistrationKeys>> KeysFor(
      absl::Span<const std::pair<std::string, std::string>> customers);

  static std::string PhoneIndex(absl::string_view index_key, absl::string_view digits);
  // Moves the decided event body's name and phone into sealed_name and sealed_phone.
  static absl::Status Seal(absl::string_view customer_key, absl::string_view project_id,
                           v1::RegisterCustomerRequest& body);

  absl::StatusOr<std::string> Open(absl::string_view project_id, absl::string_view customer_id, Field field,
                                   absl::string_view sealed) const override;

  // Destroys the customer's key (DataKeyStore::Erase). OK when it was destroyed already or there
  // never was one (a customer from before sealing), so that erasures can be re-applied.
  absl::Status Erase(absl::string_view project_id, absl::string_view customer_id);

  // A copy of the key store in `path` (a RocksDB checkpoint).
  absl::Status Backup(const std::string& path) const;

  // Restoring an older backup (README): destroys, in the key store of `data_dir` (not in use by a
  // server), the keys of every customer `erasure_list` names — an erasures.tsv from a newer backup,
  // or the operator's own list, one "<project>\t<customer>[\t<seq>]" a line. Returns how many
  // lines it applied. INVALID_ARGUMENT naming a line that is not of that form.
  static absl::StatusOr<size_t> ReapplyErasures(const std::string& data_dir, absl::string_view erasure_list);

 private:
  explicit PersonalData(std::unique_ptr<DataKeyStore> keys) : keys_(std::move(keys)) {}
  // `make`: KeyFor (an index key) rather than Get (a customer's: only a registration makes one).
  absl::StatusOr<std::string> CachedKey(const std::string& subject, bool make) const;

  const std::unique_ptr<DataKeyStore> keys_;  // its methods are thread-safe; const ones too
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, std::string> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_PERSONAL_DATA_H_
