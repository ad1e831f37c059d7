#pragma once

// A QR code (ISO/IEC 18004) as an SVG image, drawn with libqrencode: the second factor's enrolment shows its
// otpauth:// URI this way for an authenticator app's camera. qrencode.h appears only in the .cpp file.

#include <string>
#include <string_view>

#include "base/result.hpp"

namespace kclinic::adapters::api {

// `text` (8-bit mode, error correction level M: 15 % of the symbol may be damaged) as a standalone SVG document: one
// path of dark unit squares on a white square with the 4-module quiet zone the standard requires, scalable, with
// role="img" and `label` as its accessible name. Error kInvalidArgument when the text is too long for any QR version.
[[nodiscard]] Result<std::string> QrCodeSvg(std::string_view text, std::string_view label);

}  // namespace kclinic::adapters::api
