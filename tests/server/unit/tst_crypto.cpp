// HMAC-SHA256 (RFC 4231), base64 (RFC 4648), hex and constant-time comparison: the
// pieces of webhook signatures and capability links.
#include "crypto.h"
#include "test_bytes.h"

#include <QTest>

using namespace hoist;

class TestCrypto final : public QObject {
    Q_OBJECT

  private slots:
    void hmacRfc4231_data();
    void hmacRfc4231();
    void hex();
    void base64Rfc4648_data();
    void base64Rfc4648();
    void base64RoundTrips();
    void base64RefusesMalformed_data();
    void base64RefusesMalformed();
    void secureEquals();
    void randomBytes();
};

void TestCrypto::hmacRfc4231_data() {
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("test case 1")
        << QByteArray(20, '\x0b') << QByteArray("Hi There")
        << QByteArray("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    QTest::newRow("test case 2")
        << QByteArray("Jefe") << QByteArray("what do ya want for nothing?")
        << QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    QTest::newRow("test case 6 (key longer than a block)")
        << QByteArray(131, '\xaa')
        << QByteArray("Test Using Larger Than Block-Size Key - Hash Key First")
        << QByteArray("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

void TestCrypto::hmacRfc4231() {
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, expected);
    const std::string mac = hmacSha256(key.toStdString(), data.toStdString());
    QCOMPARE(mac.size(), std::size_t(32));
    QCOMPARE(toHex(mac), expected.toStdString());
}

void TestCrypto::hex() {
    QCOMPARE(toHex(""), std::string());
    QCOMPARE(toHex(std::string("\x00\x01\x7f\x80\xff", 5)), std::string("00017f80ff"));
}

void TestCrypto::base64Rfc4648_data() {
    QTest::addColumn<QByteArray>("plain");
    QTest::addColumn<QByteArray>("encoded");
    QTest::newRow("empty") << QByteArray("") << QByteArray("");
    QTest::newRow("f") << QByteArray("f") << QByteArray("Zg==");
    QTest::newRow("fo") << QByteArray("fo") << QByteArray("Zm8=");
    QTest::newRow("foo") << QByteArray("foo") << QByteArray("Zm9v");
    QTest::newRow("foob") << QByteArray("foob") << QByteArray("Zm9vYg==");
    QTest::newRow("fooba") << QByteArray("fooba") << QByteArray("Zm9vYmE=");
    QTest::newRow("foobar") << QByteArray("foobar") << QByteArray("Zm9vYmFy");
    QTest::newRow("high bytes") << QByteArray("\xfb\xff\xfe", 3) << QByteArray("+//+");
}

void TestCrypto::base64Rfc4648() {
    QFETCH(QByteArray, plain);
    QFETCH(QByteArray, encoded);
    QCOMPARE(base64Encode(plain.toStdString()), encoded.toStdString());
    const auto decoded = base64Decode(encoded.toStdString());
    QVERIFY(decoded);
    QCOMPARE(*decoded, plain.toStdString());
}

void TestCrypto::base64RoundTrips() {
    std::string every;
    for (int c = 0; c < 256; ++c)
        every.push_back(static_cast<char>(c));
    QCOMPARE(base64Decode(base64Encode(every)), std::optional<std::string>(every));
    // Every length mod 3, with bytes that end in zero bits where padding goes.
    for (std::size_t length = 0; length <= 64; ++length) {
        std::string bytes = test::patternBytes(length, static_cast<std::uint32_t>(length));
        if (!bytes.empty())
            bytes.back() = '\0';
        QCOMPARE(base64Decode(base64Encode(bytes)), std::optional<std::string>(bytes));
    }
}

void TestCrypto::base64RefusesMalformed_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("not a multiple of 4") << QByteArray("Zg=");
    QTest::newRow("unpadded") << QByteArray("Zg");
    QTest::newRow("bad character") << QByteArray("Zm9v!A==");
    QTest::newRow("URL-safe alphabet") << QByteArray("-_-_");
    QTest::newRow("one character") << QByteArray("Z");
    QTest::newRow("padding only") << QByteArray("====");
    QTest::newRow("three pads") << QByteArray("Z===");
    QTest::newRow("padding in the middle") << QByteArray("Zm=v");
    QTest::newRow("two padded groups") << QByteArray("Zg==Zg==");
    QTest::newRow("leading space") << QByteArray(" Zm9");
    QTest::newRow("trailing newlines") << QByteArray("Zm9v\n\n\n\n");
    QTest::newRow("trailing spaces") << QByteArray("Zg==    ");
}

void TestCrypto::base64RefusesMalformed() {
    QFETCH(QByteArray, text);
    QCOMPARE(base64Decode(text.toStdString()), std::optional<std::string>());
}

void TestCrypto::secureEquals() {
    QVERIFY(hoist::secureEquals("", ""));
    QVERIFY(hoist::secureEquals("signature", "signature"));
    QVERIFY(!hoist::secureEquals("signature", "signaturf"));
    QVERIFY(!hoist::secureEquals("signature", "signatur"));
    QVERIFY(!hoist::secureEquals("", "x"));
    QVERIFY(hoist::secureEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
    QVERIFY(!hoist::secureEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

void TestCrypto::randomBytes() {
    const std::string a = hoist::randomBytes(32);
    const std::string b = hoist::randomBytes(32);
    QCOMPARE(a.size(), std::size_t(32));
    QVERIFY(a != b);
    QCOMPARE(hoist::randomBytes(0), std::string());
}

QTEST_GUILESS_MAIN(TestCrypto)
#include "tst_crypto.moc"
