// Input checks shared by the handlers: file names, fingerprints, session ids, offsets
// and byte sizes (docs/protocol.md: "400 for ... an empty or path-like file name").
#include "validation.h"

#include <QTest>

#include <set>

using namespace hoist;

class TestValidation final : public QObject {
    Q_OBJECT

  private slots:
    void acceptsPlainNames_data();
    void acceptsPlainNames();
    void refusesBadNames_data();
    void refusesBadNames();
    void fileNameLimitIs255Bytes();
    void fingerprints();
    void uuids();
    void parsesOffsets_data();
    void parsesOffsets();
    void parsesByteSizes_data();
    void parsesByteSizes();
    void newUuidIsVersion4AndUnique();
};

void TestValidation::acceptsPlainNames_data() {
    QTest::addColumn<QByteArray>("name");
    QTest::newRow("ascii") << QByteArray("holiday video.mp4");
    QTest::newRow("dot file") << QByteArray(".profile");
    QTest::newRow("three dots") << QByteArray("...");
    QTest::newRow("dots inside") << QByteArray("a..b");
    QTest::newRow("latin-1 in UTF-8") << QByteArray("r\xC3\xA9sum\xC3\xA9.pdf");
    QTest::newRow("CJK") << QByteArray("\xE6\x97\xA5\xE6\x9C\xAC.txt");
    QTest::newRow("emoji (4 bytes)") << QByteArray("\xF0\x9F\x98\x80.png");
    QTest::newRow("U+00A0, after the C1 controls") << QByteArray("\xC2\xA0");
    QTest::newRow("U+0800, smallest 3-byte") << QByteArray("\xE0\xA0\x80");
    QTest::newRow("U+D7FF, before surrogates") << QByteArray("\xED\x9F\xBF");
    QTest::newRow("U+E000, after surrogates") << QByteArray("\xEE\x80\x80");
    QTest::newRow("U+10000, smallest 4-byte") << QByteArray("\xF0\x90\x80\x80");
    QTest::newRow("U+10FFFF, largest") << QByteArray("\xF4\x8F\xBF\xBF");
}

void TestValidation::acceptsPlainNames() {
    QFETCH(QByteArray, name);
    const auto problem = checkFileName(name.toStdString());
    QVERIFY2(!problem, problem.value_or("").c_str());
}

void TestValidation::refusesBadNames_data() {
    QTest::addColumn<QByteArray>("name");
    QTest::newRow("empty") << QByteArray("");
    QTest::newRow("dot") << QByteArray(".");
    QTest::newRow("dot dot") << QByteArray("..");
    QTest::newRow("slash") << QByteArray("/");
    QTest::newRow("path") << QByteArray("dir/file.txt");
    QTest::newRow("parent path") << QByteArray("../etc/passwd");
    QTest::newRow("backslash") << QByteArray("dir\\file.txt");
    QTest::newRow("NUL") << QByteArray("a\0b", 3);
    QTest::newRow("newline") << QByteArray("a\nb");
    QTest::newRow("tab") << QByteArray("a\tb");
    QTest::newRow("escape") << QByteArray("\x1B[31mred");
    QTest::newRow("DEL") << QByteArray("a\x7F");
    QTest::newRow("C1 control U+0080") << QByteArray("a\xC2\x80");
    QTest::newRow("C1 control U+0085 (NEL)") << QByteArray("a\xC2\x85"
                                                           "b");
    QTest::newRow("C1 control U+009F") << QByteArray("\xC2\x9F");
    QTest::newRow("lone continuation byte") << QByteArray("a\x80");
    QTest::newRow("0xFF") << QByteArray("\xFF");
    QTest::newRow("5-byte lead") << QByteArray("\xF8\x88\x80\x80\x80");
    QTest::newRow("overlong '/' (2 bytes)") << QByteArray("\xC0\xAF");
    QTest::newRow("overlong NUL (2 bytes)") << QByteArray("\xC0\x80");
    QTest::newRow("overlong '/' (3 bytes)") << QByteArray("\xE0\x80\xAF");
    QTest::newRow("overlong '/' (4 bytes)") << QByteArray("\xF0\x80\x80\xAF");
    QTest::newRow("overlong U+07FF (3 bytes)") << QByteArray("\xE0\x9F\xBF");
    QTest::newRow("surrogate U+D800") << QByteArray("\xED\xA0\x80");
    QTest::newRow("surrogate U+DFFF") << QByteArray("\xED\xBF\xBF");
    QTest::newRow("above U+10FFFF") << QByteArray("\xF4\x90\x80\x80");
    QTest::newRow("truncated at end") << QByteArray("euro \xE2\x82");
    QTest::newRow("truncated in the middle") << QByteArray("a\xE2\x82"
                                                           "b");
    QTest::newRow("truncated 4-byte") << QByteArray("\xF0\x9F\x98");
    QTest::newRow("lead byte alone") << QByteArray("\xC3");
}

void TestValidation::refusesBadNames() {
    QFETCH(QByteArray, name);
    const auto problem = checkFileName(name.toStdString());
    QVERIFY(problem.has_value());
    QVERIFY(!problem->empty());
}

void TestValidation::fileNameLimitIs255Bytes() {
    QVERIFY(!checkFileName(std::string(255, 'a')));
    QVERIFY(checkFileName(std::string(256, 'a')));
    // The limit counts bytes, not characters: 85 euro signs are 255 bytes.
    std::string euros;
    for (int i = 0; i < 85; ++i)
        euros += "\xE2\x82\xAC";
    QVERIFY(!checkFileName(euros));
    QVERIFY(checkFileName(euros + "a"));
}

void TestValidation::fingerprints() {
    const std::string good = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    QVERIFY(isFingerprint(good));
    QVERIFY(!isFingerprint(""));
    QVERIFY(!isFingerprint(good.substr(1)));
    QVERIFY(!isFingerprint(good + "0"));
    std::string upper = good;
    upper[0] = 'E';
    QVERIFY(!isFingerprint(upper));
    std::string notHex = good;
    notHex[10] = 'g';
    QVERIFY(!isFingerprint(notHex));
}

void TestValidation::uuids() {
    const std::string good = "0f8fad5b-d9cb-469f-a165-70867728950e";
    QVERIFY(isUuid(good));
    QVERIFY(!isUuid(""));
    QVERIFY(!isUuid("0F8FAD5B-D9CB-469F-A165-70867728950E"));
    QVERIFY(!isUuid("0f8fad5bd9cb469fa16570867728950e"));
    QVERIFY(!isUuid("{0f8fad5b-d9cb-469f-a165-70867728950e}"));
    QVERIFY(!isUuid("0f8fad5b-d9cb-469f-a165-70867728950"));
    QVERIFY(!isUuid("0f8fad5bd-9cb-469f-a165-70867728950e"));
    QVERIFY(!isUuid("0f8fad5b-d9cb-469f-a165-70867728950g"));
    QVERIFY(!isUuid("../../../../etc/passwd-aaaaaaaaaaaa"));
}

namespace {
// Rows for the two number parsers: the text, and the value or a refusal.
void addParseColumns() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("value");
}

void accepted(const char* row, const char* text, qint64 value) {
    QTest::newRow(row) << QByteArray(text) << true << value;
}

void refused(const char* row, const char* text) {
    QTest::newRow(row) << QByteArray(text) << false << qint64(0);
}

void checkParse(std::optional<std::int64_t> (*parse)(std::string_view)) {
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QFETCH(qint64, value);
    const auto parsed = parse(text.toStdString());
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(*parsed, value);
}
} // namespace

void TestValidation::parsesOffsets_data() {
    addParseColumns();
    accepted("zero", "0", 0);
    accepted("plain", "8388608", 8388608);
    accepted("leading zeros", "007", 7);
    accepted("2^53", "9007199254740992", qint64(1) << 53);
    refused("2^53 + 1", "9007199254740993");
    refused("16 nines", "9999999999999999");
    refused("int64 overflow", "99999999999999999999");
    refused("empty", "");
    refused("negative", "-1");
    refused("plus sign", "+1");
    refused("leading space", " 1");
    refused("trailing space", "1 ");
    refused("decimal point", "1.0");
    refused("exponent", "1e3");
    refused("hex", "0x10");
    refused("letters", "abc");
}

void TestValidation::parsesOffsets() {
    checkParse(parseOffset);
}

void TestValidation::parsesByteSizes_data() {
    addParseColumns();
    accepted("bytes", "10485760", 10485760);
    accepted("K", "10K", 10240);
    accepted("k", "10k", 10240);
    accepted("M", "100M", qint64(100) << 20);
    accepted("G", "10G", qint64(10) << 30);
    accepted("T", "5T", qint64(5) << 40);
    accepted("2^53 as 8192T", "8192T", qint64(1) << 53);
    refused("8193T overflows 2^53", "8193T");
    refused("huge G", "9999999999999G");
    refused("fraction", "1.5G");
    refused("two-letter suffix", "10MB");
    refused("IEC suffix", "10Mi");
    refused("space before suffix", "10 M");
    refused("suffix alone", "G");
    refused("negative", "-1K");
    refused("empty", "");
    refused("unknown suffix", "10P");
}

void TestValidation::parsesByteSizes() {
    checkParse(parseByteSize);
}

void TestValidation::newUuidIsVersion4AndUnique() {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const std::string id = newUuid();
        QVERIFY2(isUuid(id), id.c_str());
        QCOMPARE(id[14], '4');                                                       // version 4
        QVERIFY2(std::string("89ab").find(id[19]) != std::string::npos, id.c_str()); // variant
        seen.insert(id);
    }
    QCOMPARE(seen.size(), std::size_t(1000));
}

QTEST_GUILESS_MAIN(TestValidation)
#include "tst_validation.moc"
