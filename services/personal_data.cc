#include "services/personal_data.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/aead.h"
#include "base/files.h"
#include "base/sha256.h"
#include "base/status_macros.h"

namespace salesledger {
namespace {

std::string CustomerSubject(absl::string_view project_id, absl::string_view customer_id) {
  return absl::StrCat("customer ", project_id, "/", customer_id);
}

std::string IndexSubject(absl::string_view project_id) { return absl::StrCat("phone index ", project_id); }

std::string FieldAad(absl::string_view project_id, absl::string_view customer_id, PersonalFields::Field field) {
  return absl::StrCat("salesledger ", CustomerSubject(project_id, customer_id),
                      field == PersonalFields::kName ? " name" : " phone");
}

absl::StatusOr<std::string> LoadOrCreateMasterKey(const std::string& data_dir) {
  const std::string path = absl::StrCat(data_dir, "/", kMasterKeyFile);
  absl::StatusOr<std::string> key = ReadSecretFile(path);
  if (absl::IsNotFound(key.status())) {
    ASSIGN_OR_RETURN(key, NewAeadKey());
    RETURN_IF_ERROR(WriteSecretFile(path, *key));
  }
  if (key.ok() && key->size() != kAeadKeySize) {
    return absl::DataLossError(absl::StrCat(path, " holds ", key->size(), " bytes, not a ", kAeadKeySize,
                                            "-byte master key: restore it from the backup it came with"));
  }
  return key;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PersonalData>> PersonalData::Open(const std::string& data_dir) {
  ASSIGN_OR_RETURN(std::string master, LoadOrCreateMasterKey(data_dir));
  ASSIGN_OR_RETURN(std::unique_ptr<DataKeyStore> keys, DataKeyStore::Open(data_dir + "/keys", std::move(master)));
  return std::unique_ptr<PersonalData>(new PersonalData(std::move(keys)));
}

absl::StatusOr<PersonalData::RegistrationKeys> PersonalData::KeysFor(absl::string_view project_id,
                                                                     absl::string_view customer_id) {
  const std::pair<std::string, std::string> one[] = {{std::string(project_id), std::string(customer_id)}};
  return std::move(KeysFor(one)[0]);
}

std::vector<absl::StatusOr<PersonalData::RegistrationKeys>> PersonalData::KeysFor(
    absl::Span<const std::pair<std::string, std::string>> customers) {
  std::vector<std::string> subjects;
  for (const auto& [project_id, customer_id] : customers) subjects.push_back(CustomerSubject(project_id, customer_id));
  std::vector<absl::StatusOr<std::string>> customer_keys = keys_->KeysFor(subjects);
  std::vector<absl::StatusOr<RegistrationKeys>> out;
  for (size_t i = 0; i < customers.size(); ++i) {
    absl::StatusOr<std::string> index_key = CachedKey(IndexSubject(customers[i].first), /*make=*/true);
    if (!index_key.ok()) {
      out.push_back(index_key.status());
    } else if (!customer_keys[i].ok()) {
      out.push_back(customer_keys[i].status());
    } else {
      out.push_back(RegistrationKeys{*std::move(customer_keys[i]), *std::move(index_key)});
    }
  }
  return out;
}

absl::StatusOr<std::string> PersonalData::CachedKey(const std::string& subject, bool make) const {
  // Held across the read, so that an Erase cannot come between reading a key and caching it.
  absl::MutexLock lock(&mu_);
  if (auto it = cache_.find(subject); it != cache_.end()) return it->second;
  ASSIGN_OR_RETURN(std::string key, make ? keys_->KeyFor(subject) : keys_->Get(subject));
  cache_.emplace(subject, key);
  return key;
}

std::string PersonalData::PhoneIndex(absl::string_view index_key, absl::string_view digits) {
  return HmacSha256(index_key, digits);
}

absl::Status PersonalData::Seal(absl::string_view customer_key, absl::string_view project_id,
                                v1::RegisterCustomerRequest& body) {
  ASSIGN_OR_RETURN(std::string name, AeadSeal(customer_key, body.name(), FieldAad(project_id, body.customer_id(), kName)));
  ASSIGN_OR_RETURN(std::string phone,
                   AeadSeal(customer_key, body.phone(), FieldAad(project_id, body.customer_id(), kPhone)));
  body.set_sealed_name(std::move(name));
  body.set_sealed_phone(std::move(phone));
  body.clear_name();
  body.clear_phone();
  return absl::OkStatus();
}

absl::StatusOr<std::string> PersonalData::Open(absl::string_view project_id, absl::string_view customer_id,
                                               Field field, absl::string_view sealed) const {
  absl::StatusOr<std::string> key = CachedKey(CustomerSubject(project_id, customer_id), /*make=*/false);
  if (absl::IsNotFound(key.status())) {
    return absl::FailedPreconditionError(absl::StrCat("customer ", customer_id, " of ", project_id,
                                                      " has no data key here (a key store from another ledger?)"));
  }
  if (!key.ok()) return key.status();
  return AeadOpen(*key, sealed, FieldAad(project_id, customer_id, field));
}

absl::Status PersonalData::Erase(absl::string_view project_id, absl::string_view customer_id) {
  const std::string subject = CustomerSubject(project_id, customer_id);
  absl::MutexLock lock(&mu_);
  cache_.erase(subject);
  // Already destroyed, or never made: nothing to do (no compaction at every start).
  absl::Status held = keys_->Get(subject).status();
  if (absl::IsNotFound(held) || absl::IsFailedPrecondition(held)) return absl::OkStatus();
  absl::Status erased = keys_->Erase(subject);
  if (absl::IsNotFound(erased) || absl::IsFailedPrecondition(erased)) return absl::OkStatus();
  return erased;
}

absl::StatusOr<size_t> PersonalData::ReapplyErasures(const std::string& data_dir, absl::string_view erasure_list) {
  ASSIGN_OR_RETURN(std::unique_ptr<PersonalData> personal, Open(data_dir));
  size_t applied = 0, line_no = 0;
  for (absl::string_view line : absl::StrSplit(erasure_list, '\n')) {
    ++line_no;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    std::vector<absl::string_view> fields = absl::StrSplit(line, '\t');
    if (fields.size() < 2 || fields.size() > 3 || fields[0].empty() || fields[1].empty()) {
      return absl::InvalidArgumentError(absl::StrCat("erasure list line ", line_no, " is not <project>\\t<customer>[\\t<seq>]: '",
                                                     line, "'"));
    }
    RETURN_IF_ERROR(personal->Erase(fields[0], fields[1]));
    ++applied;
  }
  return applied;
}

absl::Status PersonalData::Backup(const std::string& path) const { return keys_->Backup(path); }

}  // namespace salesledger
