// The streaming SHA-256 whose midstate the session row persists: known vectors, and
// a hash saved and restored between any two pieces equals one pass over the bytes.
#include "sha256_state.h"
#include "test_bytes.h"

#include <QTest>

using namespace hoist;
using hoist::test::patternBytes;
using hoist::test::spanOf;

namespace {
const std::string kEmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const std::string kAbcHash = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const std::string kMillionAHash =
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

Sha256State roundTrip(const Sha256State& state) {
    auto restored = Sha256State::deserialize(state.serialize());
    if (!restored)
        qFatal("a serialized state did not deserialize");
    return *restored;
}
} // namespace

Q_DECLARE_METATYPE(std::vector<int>)

class TestSha256State final : public QObject {
    Q_OBJECT

  private slots:
    void knownVectors();
    void millionAInPieces();
    void digestDoesNotEndTheState();
    void resumesAfterSerialization_data();
    void resumesAfterSerialization();
    void refusesForeignBytes();
};

void TestSha256State::knownVectors() {
    QCOMPARE(Sha256State().hexDigest(), kEmptyHash);
    QCOMPARE(Sha256State::hexOf(spanOf("")), kEmptyHash);
    QCOMPARE(Sha256State::hexOf(spanOf("abc")), kAbcHash);
    QCOMPARE(Sha256State::hexOf(spanOf(std::string(1000000, 'a'))), kMillionAHash);
}

void TestSha256State::millionAInPieces() {
    const std::string piece(1000, 'a');
    Sha256State state;
    for (int i = 0; i < 1000; ++i)
        state.update(spanOf(piece));
    QCOMPARE(state.hexDigest(), kMillionAHash);
}

void TestSha256State::digestDoesNotEndTheState() {
    Sha256State state;
    state.update(spanOf("ab"));
    QCOMPARE(state.hexDigest(), Sha256State::hexOf(spanOf("ab")));
    state.update(spanOf("c"));
    QCOMPARE(state.hexDigest(), kAbcHash);
}

void TestSha256State::resumesAfterSerialization_data() {
    QTest::addColumn<std::vector<int>>("cuts");
    QTest::newRow("no cut") << std::vector<int>{};
    QTest::newRow("at 0") << std::vector<int>{0};
    QTest::newRow("at 1") << std::vector<int>{1};
    QTest::newRow("block - 1") << std::vector<int>{63};
    QTest::newRow("block") << std::vector<int>{64};
    QTest::newRow("block + 1") << std::vector<int>{65};
    QTest::newRow("at the end") << std::vector<int>{5000};
    QTest::newRow("many odd cuts") << std::vector<int>{1, 2, 3, 55, 56, 57, 119, 128, 1000, 4999};
    QTest::newRow("every 7 bytes") << [] {
        std::vector<int> cuts;
        for (int at = 7; at < 5000; at += 7)
            cuts.push_back(at);
        return cuts;
    }();
}

void TestSha256State::resumesAfterSerialization() {
    QFETCH(std::vector<int>, cuts);
    const std::string data = patternBytes(5000);
    Sha256State state;
    std::size_t from = 0;
    cuts.push_back(static_cast<int>(data.size()));
    for (int cut : cuts) {
        const auto to = static_cast<std::size_t>(cut);
        state.update(std::span<const char>(data.data() + from, to - from));
        state = roundTrip(state);
        from = to;
    }
    QCOMPARE(state.hexDigest(), Sha256State::hexOf(spanOf(data)));
}

void TestSha256State::refusesForeignBytes() {
    Sha256State state;
    state.update(spanOf("abc"));
    const std::string good = state.serialize();
    QVERIFY(Sha256State::deserialize(good));
    QVERIFY(!Sha256State::deserialize(""));
    QVERIFY(!Sha256State::deserialize(good.substr(0, good.size() - 1)));
    QVERIFY(!Sha256State::deserialize(good + '\0'));
    std::string otherVersion = good;
    otherVersion[0] = static_cast<char>(otherVersion[0] + 1);
    QVERIFY(!Sha256State::deserialize(otherVersion));
    otherVersion[0] = '\0';
    QVERIFY(!Sha256State::deserialize(otherVersion));
}

QTEST_GUILESS_MAIN(TestSha256State)
#include "tst_sha256state.moc"
