#include "adapters/storage/sql/audit_chain.hpp"

#include <sodium.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace kclinic::adapters::storage::sql {
namespace {

void AppendNetstring(std::string& out, std::string_view field) {
    out += std::to_string(field.size());
    out += ':';
    out += field;
    out += ',';
}

}  // namespace

std::string AuditChainEncoding(const app::AuditEntry& entry, std::string_view previous_hash) {
    std::string out;
    AppendNetstring(out, "kclinic.audit.v1");
    AppendNetstring(out, std::to_string(entry.id.value));
    AppendNetstring(out, std::to_string(entry.at.time_since_epoch().count()));
    AppendNetstring(out, entry.actor);
    AppendNetstring(out, entry.origin);
    AppendNetstring(out, entry.action);
    AppendNetstring(out, entry.record_type);
    AppendNetstring(out, std::to_string(entry.record_id));
    AppendNetstring(out, std::to_string(entry.patient_id));
    AppendNetstring(out, entry.detail);
    AppendNetstring(out, previous_hash);
    return out;
}

std::string AuditChainHash(const app::AuditEntry& entry, std::string_view previous_hash) {
    const std::string encoding = AuditChainEncoding(entry, previous_hash);
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    // crypto_hash_sha256 cannot fail; it needs no sodium_init (only its random functions do).
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(encoding.data()), encoding.size());
    std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    return {hex.data(), crypto_hash_sha256_BYTES * 2};
}

}  // namespace kclinic::adapters::storage::sql
