// Share links (docs/protocol.md, "Share links"), black-box against a real hoistd:
// create, list and revoke with the owner's token; the public URL serves the file with
// no token (ranges, the file's name, private caching) or a landing page to a browser,
// and answers 404 once revoked, expired or the file deleted. Links are per user.
#include "hoistd_process.h"
#include "test_http_client.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

namespace {

const QList<QPair<QByteArray, QByteArray>> kBrowserAccept = {
    {"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}};

// A path of the server, for a URL it handed out.
QString pathOf(const QString& url) {
    return QUrl(url).path();
}

} // namespace

class TestShareLinks final : public QObject {
    Q_OBJECT

  private slots:
    void init();
    void cleanup();
    void createServeListAndRevoke();
    void ranges();
    void foreignLinksAreNotFound();
    void lifetimeDefaultsAndLimits();
    void expiredLinkIsNotFound();
    void deletedFileEndsItsLinks();
    void browsersGetALandingPage();
    void nonAsciiNameInContentDisposition();
    void urlIsBuiltOnThePublicUrl();
    void databaseHoldsNoTokenAndLinksSurviveARestart();
    void linksAreCountedInMetrics();

  private:
    // Uploads `data` as alice and answers the new file's id.
    QString uploadFile(const QString& name, const QByteArray& data);
    TestReply createLink(const QString& fileId, const QJsonObject& body = {});
    bool startServer(const QStringList& extraArgs = {});

    QTemporaryDir m_dir;
    std::unique_ptr<HoistdProcess> m_server;
    std::unique_ptr<TestHttpClient> m_alice;
    std::unique_ptr<TestHttpClient> m_anonymous;
};

void TestShareLinks::init() {
    QVERIFY(startServer());
}

void TestShareLinks::cleanup() {
    m_anonymous.reset();
    m_alice.reset();
    m_server.reset();
}

bool TestShareLinks::startServer(const QStringList& extraArgs) {
    m_anonymous.reset();
    m_alice.reset();
    m_server =
        std::make_unique<HoistdProcess>(m_dir.filePath(QTest::currentTestFunction()), extraArgs);
    if (!m_server->start())
        return false;
    m_alice = std::make_unique<TestHttpClient>(m_server->url(), "tokA");
    m_anonymous = std::make_unique<TestHttpClient>(m_server->url(), "");
    return true;
}

QString TestShareLinks::uploadFile(const QString& name, const QByteArray& data) {
    return m_alice->upload(name, data)["fileId"].toString();
}

TestReply TestShareLinks::createLink(const QString& fileId, const QJsonObject& body) {
    return m_alice->postJson("/files/" + fileId + "/links", body);
}

void TestShareLinks::createServeListAndRevoke() {
    const QByteArray data = testBytes(300000, 3);
    const QString fileId = uploadFile("report.bin", data);
    QVERIFY(!fileId.isEmpty());

    const qint64 before = QDateTime::currentSecsSinceEpoch();
    const TestReply created = createLink(fileId);
    QCOMPARE(created.status, 201);
    QCOMPARE(created.header("Cache-Control"), QByteArray("no-store"));
    const QString linkId = created.json()["linkId"].toString();
    const QString url = created.json()["url"].toString();
    QVERIFY(!linkId.isEmpty());
    QVERIFY2(url.startsWith(m_server->url().toString() + "/s/"), qPrintable(url));
    const qint64 expires =
        QDateTime::fromString(created.json()["expiresAt"].toString(), Qt::ISODate)
            .toSecsSinceEpoch();
    // The default lifetime: 7 days.
    QVERIFY(expires >= before + 7 * 86400 && expires <= before + 7 * 86400 + 60);

    const TestReply served = m_anonymous->get(url);
    QCOMPARE(served.status, 200);
    QCOMPARE(served.body, data);
    QCOMPARE(served.header("Cache-Control"), QByteArray("private"));
    QCOMPARE(served.header("Content-Disposition"),
             QByteArray("attachment; filename=\"report.bin\"; filename*=UTF-8''report.bin"));
    QCOMPARE(served.header("Referrer-Policy"), QByteArray("no-referrer"));

    const QJsonArray listed = m_alice->get("/files/" + fileId + "/links").json()["links"].toArray();
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed[0].toObject()["linkId"].toString(), linkId);
    QCOMPARE(listed[0].toObject()["expiresAt"], created.json()["expiresAt"]);
    // The URL is shown once: the server does not know it afterwards.
    QVERIFY(!listed[0].toObject().contains("url"));

    // A second link is another token; revoking one leaves the other.
    const TestReply second = createLink(fileId, {{"expiresIn", 600}});
    QCOMPARE(second.status, 201);
    QVERIFY(second.json()["url"].toString() != url);

    QCOMPARE(m_alice->send("DELETE", "/files/" + fileId + "/links/" + linkId).status, 204);
    QCOMPARE(m_anonymous->get(url).status, 404);
    QCOMPARE(m_anonymous->get(url).json()["error"].toString(), QString("not_found"));
    QCOMPARE(m_alice->send("DELETE", "/files/" + fileId + "/links/" + linkId).status, 404);
    QCOMPARE(m_anonymous->get(second.json()["url"].toString()).body, data);
    const QJsonArray left = m_alice->get("/files/" + fileId + "/links").json()["links"].toArray();
    QCOMPARE(left.size(), 1);
    QCOMPARE(left[0].toObject()["linkId"], second.json()["linkId"]);

    // A guessed or mangled token is no link.
    QString wrong = pathOf(second.json()["url"].toString());
    wrong[wrong.size() - 1] = wrong.endsWith('A') ? 'B' : 'A';
    QCOMPARE(m_anonymous->get(wrong).status, 404);
    QCOMPARE(m_anonymous->get("/s/short").status, 404);
}

void TestShareLinks::ranges() {
    const QByteArray data = testBytes(10000, 4);
    const QString url = createLink(uploadFile("r.bin", data)).json()["url"].toString();
    const TestReply part = m_anonymous->send("GET", url, {}, {{"Range", "bytes=100-199"}});
    QCOMPARE(part.status, 206);
    QCOMPARE(part.body, data.mid(100, 100));
    QCOMPARE(part.header("Content-Range"), QByteArray("bytes 100-199/10000"));
    QCOMPARE(part.header("Accept-Ranges"), QByteArray("bytes"));
    // A range is a download even from a browser.
    const TestReply browserPart =
        m_anonymous->send("GET", url, {}, {kBrowserAccept[0], {"Range", "bytes=9990-"}});
    QCOMPARE(browserPart.status, 206);
    QCOMPARE(browserPart.body, data.mid(9990));
    QCOMPARE(m_anonymous->send("GET", url, {}, {{"Range", "bytes=20000-"}}).status, 416);
}

void TestShareLinks::foreignLinksAreNotFound() {
    const QString fileId = uploadFile("mine.bin", testBytes(1000, 5));
    const QString linkId = createLink(fileId).json()["linkId"].toString();
    TestHttpClient bob(m_server->url(), "tokB");
    QCOMPARE(bob.get("/files/" + fileId + "/links").status, 404);
    QCOMPARE(bob.postJson("/files/" + fileId + "/links", {}).status, 404);
    QCOMPARE(bob.send("DELETE", "/files/" + fileId + "/links/" + linkId).status, 404);
    // Bob's own file does not make alice's link his either.
    const QString bobsFile = bob.upload("bobs.bin", testBytes(10, 6))["fileId"].toString();
    QCOMPARE(bob.send("DELETE", "/files/" + bobsFile + "/links/" + linkId).status, 404);
    QCOMPARE(m_alice->get("/files/" + fileId + "/links").json()["links"].toArray().size(), 1);
    QCOMPARE(m_anonymous->get("/files/" + fileId + "/links").status, 401);
    QCOMPARE(m_alice->get("/files/no-such-file/links").status, 404);
}

void TestShareLinks::lifetimeDefaultsAndLimits() {
    QVERIFY(startServer({"--share-link-ttl", "120", "--share-link-max-ttl", "3600"}));
    const QString fileId = uploadFile("t.bin", testBytes(100, 7));
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const auto expiresOf = [](const TestReply& reply) {
        return QDateTime::fromString(reply.json()["expiresAt"].toString(), Qt::ISODate)
            .toSecsSinceEpoch();
    };
    const TestReply byDefault = createLink(fileId);
    QCOMPARE(byDefault.status, 201);
    QVERIFY(expiresOf(byDefault) >= now + 120 && expiresOf(byDefault) <= now + 180);
    const TestReply longest = createLink(fileId, {{"expiresIn", 3600}});
    QCOMPARE(longest.status, 201);
    QVERIFY(expiresOf(longest) >= now + 3600 && expiresOf(longest) <= now + 3660);

    const TestReply tooLong = createLink(fileId, {{"expiresIn", 3601}});
    QCOMPARE(tooLong.status, 400);
    QCOMPARE(tooLong.json()["error"].toString(), QString("bad_request"));
    QCOMPARE(tooLong.json()["maxExpiresIn"].toInteger(), 3600);
    QCOMPARE(createLink(fileId, {{"expiresIn", 0}}).status, 400);
    QCOMPARE(createLink(fileId, {{"expiresIn", -5}}).status, 400);
    QCOMPARE(createLink(fileId, {{"expiresIn", "60"}}).status, 400);
    QCOMPARE(createLink(fileId, {{"expiresIn", 1.5}}).status, 400);
    QCOMPARE(m_alice->send("POST", "/files/" + fileId + "/links", "[1]").status, 400);
    QCOMPARE(m_alice->get("/files/" + fileId + "/links").json()["links"].toArray().size(), 2);
}

void TestShareLinks::expiredLinkIsNotFound() {
    const QString fileId = uploadFile("e.bin", testBytes(100, 8));
    const TestReply created = createLink(fileId, {{"expiresIn", 1}});
    QCOMPARE(created.status, 201);
    const QString url = created.json()["url"].toString();
    const qint64 expires =
        QDateTime::fromString(created.json()["expiresAt"].toString(), Qt::ISODate)
            .toSecsSinceEpoch();
    // Wait for the expiry second to pass (a wall-clock boundary, not a speed check).
    while (QDateTime::currentSecsSinceEpoch() <= expires)
        QThread::msleep(100);
    QCOMPARE(m_anonymous->get(url).status, 404);
    QVERIFY(m_alice->get("/files/" + fileId + "/links").json()["links"].toArray().isEmpty());
    QCOMPARE(
        m_alice
            ->send("DELETE", "/files/" + fileId + "/links/" + created.json()["linkId"].toString())
            .status,
        404);
}

void TestShareLinks::deletedFileEndsItsLinks() {
    const QString fileId = uploadFile("d.bin", testBytes(100, 9));
    const QString url = createLink(fileId).json()["url"].toString();
    QCOMPARE(m_anonymous->get(url).status, 200);
    QCOMPARE(m_alice->send("DELETE", "/files/" + fileId).status, 204);
    QCOMPARE(m_anonymous->get(url).status, 404);
    QCOMPARE(m_anonymous->send("GET", url, {}, kBrowserAccept).status, 404);
}

void TestShareLinks::browsersGetALandingPage() {
    const QByteArray data = testBytes(2048, 10);
    const QString fileId = uploadFile("<b>holiday<b> & more.bin", data);
    const QString url = createLink(fileId).json()["url"].toString();
    const TestReply page = m_anonymous->send("GET", url, {}, kBrowserAccept);
    QCOMPARE(page.status, 200);
    QVERIFY(page.header("Content-Type").startsWith("text/html"));
    QVERIFY(page.body.contains("&lt;b&gt;holiday&lt;b&gt; &amp; more.bin"));
    QVERIFY(!page.body.contains("<b>holiday"));
    QVERIFY(page.body.contains("2.0 KiB (2048 bytes)"));
    const QByteArray csp = page.header("Content-Security-Policy");
    QVERIFY2(csp.startsWith("default-src 'none'; style-src 'sha256-"), csp.constData());
    QVERIFY(!csp.contains("unsafe"));
    QVERIFY(!page.body.contains("<script"));
    QVERIFY(!page.body.contains("http://") && !page.body.contains("https://"));
    QCOMPARE(page.header("Cache-Control"), QByteArray("private"));

    // Its download button is the same URL, asking for the bytes.
    const QString token = pathOf(url).section('/', -1);
    const QByteArray href = "href=\"" + token.toUtf8() + "?download=1\"";
    QVERIFY2(page.body.contains(href), page.body.constData());
    const TestReply download = m_anonymous->send("GET", url + "?download=1", {}, kBrowserAccept);
    QCOMPARE(download.status, 200);
    QCOMPARE(download.body, data);
    QVERIFY(download.header("Content-Disposition").startsWith("attachment;"));

    // text/html refused by q=0 is no browser.
    QCOMPARE(m_anonymous->send("GET", url, {}, {{"Accept", "text/html;q=0, */*"}}).body, data);

    QCOMPARE(m_alice
                 ->send("DELETE", "/files/" + fileId + "/links/" +
                                      m_alice->get("/files/" + fileId + "/links")
                                          .json()["links"]
                                          .toArray()[0]
                                          .toObject()["linkId"]
                                          .toString())
                 .status,
             204);
    const TestReply gone = m_anonymous->send("GET", url, {}, kBrowserAccept);
    QCOMPARE(gone.status, 404);
    QVERIFY(gone.header("Content-Type").startsWith("text/html"));
    QVERIFY(gone.body.contains("not available"));
}

void TestShareLinks::nonAsciiNameInContentDisposition() {
    const QString name = QString::fromUtf8("résumé \"final\" €.txt");
    const QString url = createLink(uploadFile(name, "hello")).json()["url"].toString();
    const TestReply served = m_anonymous->get(url);
    QCOMPARE(served.status, 200);
    QCOMPARE(served.header("Content-Disposition"),
             QByteArray("attachment; filename=\"r_sum_ _final_ _.txt\"; "
                        "filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22%20%E2%82%AC.txt"));
}

void TestShareLinks::urlIsBuiltOnThePublicUrl() {
    QVERIFY(startServer({"--public-url", "https://files.example.org/"}));
    const TestReply created = createLink(uploadFile("p.bin", "public"));
    const QString url = created.json()["url"].toString();
    QVERIFY2(url.startsWith("https://files.example.org/s/"), qPrintable(url));
    // Served under /s/ on the server itself (the proxy in front maps the public URL).
    QCOMPARE(m_anonymous->get(pathOf(url)).body, QByteArray("public"));
}

void TestShareLinks::databaseHoldsNoTokenAndLinksSurviveARestart() {
    const QByteArray data = testBytes(500, 11);
    const QString url = createLink(uploadFile("k.bin", data)).json()["url"].toString();
    const QByteArray token = pathOf(url).section('/', -1).toLatin1();
    QCOMPARE(token.size(), 43);
    QVERIFY(m_server->terminate());
    QByteArray database;
    for (const QString& name : QDir(m_server->dataDir()).entryList({"hoistd.db*"})) {
        QFile file(QDir(m_server->dataDir()).filePath(name));
        QVERIFY(file.open(QIODevice::ReadOnly));
        database += file.readAll();
    }
    QVERIFY(database.size() > 0);
    QVERIFY(!database.contains(token));
    QVERIFY(database.contains(sha256Hex(token)));

    QVERIFY(m_server->start());
    TestHttpClient anonymous(m_server->url(), "");
    QCOMPARE(anonymous.get(pathOf(url)).body, data);
}

void TestShareLinks::linksAreCountedInMetrics() {
    const QString fileId = uploadFile("m.bin", testBytes(100, 12));
    const TestReply created = createLink(fileId);
    const QString url = created.json()["url"].toString();
    QCOMPARE(m_anonymous->get(url).status, 200);
    QCOMPARE(m_anonymous->send("GET", url, {}, kBrowserAccept).status, 200);
    QCOMPARE(
        m_alice
            ->send("DELETE", "/files/" + fileId + "/links/" + created.json()["linkId"].toString())
            .status,
        204);
    const QByteArray metrics = m_anonymous->get("/metrics").body;
    for (const char* line : {"hoistd_share_links_total{event=\"created\"} 1\n",
                             "hoistd_share_links_total{event=\"revoked\"} 1\n",
                             "hoistd_share_links_total{event=\"served\"} 1\n",
                             "hoistd_share_links_total{event=\"page\"} 1\n"})
        QVERIFY2(metrics.contains(line), metrics.constData());
}

QTEST_GUILESS_MAIN(TestShareLinks)
#include "tst_share_links.moc"
