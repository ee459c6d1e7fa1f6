// Range headers of GET /files/{id}/content against RFC 9110 section 14.
#include "byte_range.h"

#include <QTest>

using namespace hoist;

Q_DECLARE_METATYPE(RangeRequest::Kind)

class TestByteRange final : public QObject {
    Q_OBJECT

  private slots:
    void parses_data();
    void parses();
    void noHeaderIsWhole();
};

void TestByteRange::parses_data() {
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<RangeRequest::Kind>("kind");
    QTest::addColumn<qint64>("first");
    QTest::addColumn<qint64>("last");
    using K = RangeRequest::Kind;
    const qint64 n = 1000;
    QTest::newRow("a-b") << QByteArray("bytes=0-499") << n << K::Partial << qint64(0)
                         << qint64(499);
    QTest::newRow("middle") << QByteArray("bytes=100-199") << n << K::Partial << qint64(100)
                            << qint64(199);
    QTest::newRow("one byte") << QByteArray("bytes=0-0") << n << K::Partial << qint64(0)
                              << qint64(0);
    QTest::newRow("last byte") << QByteArray("bytes=999-999") << n << K::Partial << qint64(999)
                               << qint64(999);
    QTest::newRow("a-") << QByteArray("bytes=500-") << n << K::Partial << qint64(500)
                        << qint64(999);
    QTest::newRow("0-") << QByteArray("bytes=0-") << n << K::Partial << qint64(0) << qint64(999);
    QTest::newRow("-n") << QByteArray("bytes=-200") << n << K::Partial << qint64(800)
                        << qint64(999);
    QTest::newRow("-n beyond size")
        << QByteArray("bytes=-5000") << n << K::Partial << qint64(0) << qint64(999);
    QTest::newRow("end beyond size clamped")
        << QByteArray("bytes=900-5000") << n << K::Partial << qint64(900) << qint64(999);
    QTest::newRow("large file") << QByteArray("bytes=1099511627775-") << (qint64(1) << 40)
                                << K::Partial << (qint64(1) << 40) - 1 << (qint64(1) << 40) - 1;
    QTest::newRow("start at size")
        << QByteArray("bytes=1000-") << n << K::Unsatisfiable << qint64(0) << qint64(0);
    QTest::newRow("start beyond size")
        << QByteArray("bytes=5000-6000") << n << K::Unsatisfiable << qint64(0) << qint64(0);
    QTest::newRow("-0") << QByteArray("bytes=-0") << n << K::Unsatisfiable << qint64(0)
                        << qint64(0);
    QTest::newRow("empty file a-")
        << QByteArray("bytes=0-") << qint64(0) << K::Unsatisfiable << qint64(0) << qint64(0);
    QTest::newRow("empty file -n")
        << QByteArray("bytes=-5") << qint64(0) << K::Unsatisfiable << qint64(0) << qint64(0);
    QTest::newRow("multiple ranges")
        << QByteArray("bytes=0-99,200-299") << n << K::Whole << qint64(0) << qint64(0);
    QTest::newRow("other unit") << QByteArray("items=0-10") << n << K::Whole << qint64(0)
                                << qint64(0);
    QTest::newRow("no dash") << QByteArray("bytes=100") << n << K::Whole << qint64(0) << qint64(0);
    QTest::newRow("dash alone") << QByteArray("bytes=-") << n << K::Whole << qint64(0) << qint64(0);
    QTest::newRow("empty spec") << QByteArray("bytes=") << n << K::Whole << qint64(0) << qint64(0);
    QTest::newRow("letters") << QByteArray("bytes=abc-def") << n << K::Whole << qint64(0)
                             << qint64(0);
    QTest::newRow("last before first")
        << QByteArray("bytes=500-100") << n << K::Whole << qint64(0) << qint64(0);
    QTest::newRow("negative start")
        << QByteArray("bytes=--5") << n << K::Whole << qint64(0) << qint64(0);
    QTest::newRow("spaces") << QByteArray("bytes= 0-10") << n << K::Whole << qint64(0) << qint64(0);
    QTest::newRow("empty header") << QByteArray("") << n << K::Whole << qint64(0) << qint64(0);
}

void TestByteRange::parses() {
    QFETCH(QByteArray, header);
    QFETCH(qint64, size);
    QFETCH(RangeRequest::Kind, kind);
    QFETCH(qint64, first);
    QFETCH(qint64, last);
    const std::string text = header.toStdString();
    const RangeRequest request = parseRange(std::string_view(text), size);
    QCOMPARE(request.kind, kind);
    if (kind == RangeRequest::Kind::Partial) {
        QCOMPARE(request.range.first, first);
        QCOMPARE(request.range.last, last);
        QCOMPARE(request.range.length(), last - first + 1);
    }
}

void TestByteRange::noHeaderIsWhole() {
    QCOMPARE(parseRange(std::nullopt, 1000).kind, RangeRequest::Kind::Whole);
    QCOMPARE(parseRange(std::nullopt, 0).kind, RangeRequest::Kind::Whole);
}

QTEST_GUILESS_MAIN(TestByteRange)
#include "tst_byterange.moc"
