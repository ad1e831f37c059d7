#include "adapters/api/qr_svg.hpp"

#include <qrencode.h>

#include <memory>

namespace kclinic::adapters::api {
namespace {

constexpr int kQuietZone = 4;  // ISO/IEC 18004 §6.3.8: four modules of light margin on every side

std::string EscapeXml(std::string_view text) {
    std::string escaped;
    for (const char c : text) {
        switch (c) {
            case '&':
                escaped += "&amp;";
                break;
            case '<':
                escaped += "&lt;";
                break;
            case '>':
                escaped += "&gt;";
                break;
            case '"':
                escaped += "&quot;";
                break;
            default:
                escaped += c;
        }
    }
    return escaped;
}

}  // namespace

Result<std::string> QrCodeSvg(std::string_view text, std::string_view label) {
    const std::string terminated(text);
    // Version 0: the smallest that holds the text; case-sensitive 8-bit data, as a URI needs.
    const std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(terminated.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    if (!code) {
        return InvalidArgument("text", "is too long for a QR code");
    }
    const int width = code->width;
    const int size = width + 2 * kQuietZone;
    std::string path;
    for (int y = 0; y < width; ++y) {
        for (int x = 0; x < width; ++x) {
            // Bit 0 of each byte is the module's colour (1: dark); the others say what the module is for.
            if ((code->data[y * width + x] & 1U) != 0) {
                path += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) + "h1v1h-1z";
            }
        }
    }
    const std::string side = std::to_string(size);
    return R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 )" + side + " " + side +
           R"(" shape-rendering="crispEdges" role="img" aria-label=")" + EscapeXml(label) + R"("><rect width=")" +
           side + R"(" height=")" + side + R"(" fill="#fff"/><path fill="#000" d=")" + path + R"("/></svg>)";
}

}  // namespace kclinic::adapters::api
