#pragma once

// The common and breached passwords no one may choose (NIST SP 800-63B-4 §3.1.1.2): every entry of at least 8
// characters of two maintained lists that Debian packages, generated into the build at build time
// (cmake/generate_common_passwords.py; sources and licences in docs/security.md).

#include <span>
#include <string_view>

namespace kclinic::app {

// The entries, lower case, sorted (std::ranges::binary_search applies), without repeats.
[[nodiscard]] std::span<const std::string_view> CommonPasswords();

}  // namespace kclinic::app
