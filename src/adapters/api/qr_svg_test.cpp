#include "adapters/api/qr_svg.hpp"

#include <gtest/gtest.h>

#include <string>

namespace kclinic::adapters::api {
namespace {

TEST(QrCodeSvg, DrawsTheSymbolWithItsQuietZoneAndAName) {
    const std::string uri =
        "otpauth://totp/kclinic:ada%40clinic.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        "&issuer=kclinic&algorithm=SHA1&digits=6&period=30";
    Result<std::string> svg = QrCodeSvg(uri, "QR code <of> the key");
    ASSERT_TRUE(svg.ok()) << svg.error().ToString();
    EXPECT_EQ(svg->rfind(R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 )", 0), 0u);
    // A version v symbol is 17 + 4v modules wide, plus 4 modules of quiet zone on each side.
    const std::size_t box = svg->find(R"(viewBox="0 0 )") + 13;
    const int size = std::stoi(svg->substr(box));
    ASSERT_EQ((size - 8 - 17) % 4, 0) << size;
    EXPECT_GE(size, 8 + 17 + 4 * 7);  // this URI needs at least version 7 at level M (122 bytes)
    EXPECT_NE(svg->find(R"(aria-label="QR code &lt;of&gt; the key")"), std::string::npos);
    // Each finder pattern's outer corner module is dark: top left, top right, bottom left.
    const std::string far = std::to_string(size - 5);
    EXPECT_NE(svg->find("M4 4h1v1h-1z"), std::string::npos);
    EXPECT_NE(svg->find("M" + far + " 4h1v1h-1z"), std::string::npos);
    EXPECT_NE(svg->find("M4 " + far + "h1v1h-1z"), std::string::npos);
    // ... and the separator beside it light (module 7 of the first row).
    EXPECT_EQ(svg->find("M11 4h1v1h-1z"), std::string::npos);
    EXPECT_EQ(QrCodeSvg(uri, "x").value(), QrCodeSvg(uri, "x").value());
    EXPECT_FALSE(QrCodeSvg(std::string(4000, 'x'), "x").ok());
}

}  // namespace
}  // namespace kclinic::adapters::api
