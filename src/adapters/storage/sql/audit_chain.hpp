#pragma once

// The tamper-evident audit log's hash chain (issue 15 §7; docs/security.md "Audit"). Each entry's hash is the
// SHA-256 of its canonical encoding, which includes the hash of the entry before it, so changing, removing or
// slipping in an entry anywhere breaks every link from there on, unless whoever does it also rewrites the rest of
// the chain and its head (which is why `kclinic audit verify` prints the head's hash: kept elsewhere, it pins the
// chain as it was then).
//
// Canonical encoding: netstrings (D. J. Bernstein, "Netstrings", 1997: `<decimal length>:<bytes>,`) of, in this
// order, the version tag "kclinic.audit.v1", the entry's id, its time (epoch milliseconds), actor, origin, action,
// record type, record id, patient id and detail (integers in decimal), and the previous entry's hash (lower-case hex;
// empty for the chain's first entry). Netstrings make the encoding unambiguous whatever bytes a field holds, so no
// two different entries encode alike.

#include <string>
#include <string_view>

#include "app/records.hpp"

namespace kclinic::adapters::storage::sql {

// The bytes hashed for `entry` (whose id must be set) following `previous_hash`.
[[nodiscard]] std::string AuditChainEncoding(const app::AuditEntry& entry, std::string_view previous_hash);

// SHA-256 of AuditChainEncoding(entry, previous_hash) as 64 lower-case hex digits (libsodium's crypto_hash_sha256).
[[nodiscard]] std::string AuditChainHash(const app::AuditEntry& entry, std::string_view previous_hash);

}  // namespace kclinic::adapters::storage::sql
