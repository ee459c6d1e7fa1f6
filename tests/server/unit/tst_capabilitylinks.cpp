// The callback's downloadUrl on backends that cannot presign: an unguessable,
// expiring link (docs/protocol.md, Finalization).
#include "capability_links.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace hoist;

namespace {
const std::string kSession = "0f8fad5b-d9cb-469f-a165-70867728950e";
const std::string kOtherSession = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
constexpr std::int64_t kExpires = 1800000000;

struct Link {
    std::string path;
    std::string expires;
    std::string signature;
};

Link parse(const std::string& url) {
    const QUrl parsed(QString::fromStdString(url));
    const QUrlQuery query(parsed);
    return {parsed.path().toStdString(), query.queryItemValue("expires").toStdString(),
            query.queryItemValue("signature").toStdString()};
}

bool verifies(const CapabilityLinks& links, const std::string& session, const Link& link,
              std::int64_t now) {
    return links.verify(session, link.expires, link.signature, now);
}
} // namespace

class TestCapabilityLinks final : public QObject {
    Q_OBJECT

  private slots:
    void linkHasTheDocumentedShape();
    void aFreshLinkVerifies();
    void tamperedLinksDoNot();
    void expiredLinksDoNot();
    void anotherKeyDoesNotVerify();
    void keySurvivesReload();
    void wrongSizedKeyFileIsReplaced();
};

void TestCapabilityLinks::linkHasTheDocumentedShape() {
    CapabilityLinks links(std::string(32, 'k'));
    links.setBaseUrl("https://uploads.example.com");
    const std::string url = links.make(kSession, kExpires);
    QVERIFY2(url.rfind("https://uploads.example.com/staged/" + kSession + "?", 0) == 0,
             url.c_str());
    const Link link = parse(url);
    QCOMPARE(link.path, "/staged/" + kSession);
    QCOMPARE(link.expires, std::to_string(kExpires));
    QCOMPARE(link.signature.size(), std::size_t(64)); // hex HMAC-SHA256
}

void TestCapabilityLinks::aFreshLinkVerifies() {
    const CapabilityLinks links(std::string(32, 'k'));
    const Link link = parse(links.make(kSession, kExpires));
    QVERIFY(verifies(links, kSession, link, kExpires - 3600));
    QVERIFY(verifies(links, kSession, link, kExpires - 1));
}

void TestCapabilityLinks::tamperedLinksDoNot() {
    const CapabilityLinks links(std::string(32, 'k'));
    const Link link = parse(links.make(kSession, kExpires));
    const std::int64_t now = kExpires - 3600;

    Link flipped = link;
    flipped.signature[10] = flipped.signature[10] == '0' ? '1' : '0';
    QVERIFY(!verifies(links, kSession, flipped, now));
    QVERIFY(!verifies(links, kOtherSession, link, now));

    Link extended = link;
    extended.expires = std::to_string(kExpires + 86400);
    QVERIFY(!verifies(links, kSession, extended, now));

    Link empty = link;
    empty.signature.clear();
    QVERIFY(!verifies(links, kSession, empty, now));

    Link notNumber = link;
    notNumber.expires = "soon";
    QVERIFY(!verifies(links, kSession, notNumber, now));
}

void TestCapabilityLinks::expiredLinksDoNot() {
    const CapabilityLinks links(std::string(32, 'k'));
    const Link link = parse(links.make(kSession, kExpires));
    QVERIFY(!verifies(links, kSession, link, kExpires));
    QVERIFY(!verifies(links, kSession, link, kExpires + 1));
}

void TestCapabilityLinks::anotherKeyDoesNotVerify() {
    const CapabilityLinks links(std::string(32, 'k'));
    const CapabilityLinks other(std::string(32, 'K'));
    const Link link = parse(links.make(kSession, kExpires));
    QVERIFY(!verifies(other, kSession, link, kExpires - 1));
}

void TestCapabilityLinks::keySurvivesReload() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("links.key").toStdString();
    const CapabilityLinks first = CapabilityLinks::loadOrCreate(path);
    QFile file(QString::fromStdString(path));
    QCOMPARE(file.size(), qint64(32));
    QCOMPARE(file.permissions() &
                 (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
             QFile::Permissions());

    const Link link = parse(first.make(kSession, kExpires));
    const CapabilityLinks reloaded = CapabilityLinks::loadOrCreate(path);
    QVERIFY(verifies(reloaded, kSession, link, kExpires - 1));
}

void TestCapabilityLinks::wrongSizedKeyFileIsReplaced() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("links.key");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("short");
    file.close();
    const CapabilityLinks links = CapabilityLinks::loadOrCreate(path.toStdString());
    QCOMPARE(QFile(path).size(), qint64(32));
    // The short text is not the key: a link signed with it does not verify.
    const Link link = parse(CapabilityLinks("short").make(kSession, kExpires));
    QVERIFY(!verifies(links, kSession, link, kExpires - 1));
}

QTEST_GUILESS_MAIN(TestCapabilityLinks)
#include "tst_capabilitylinks.moc"
