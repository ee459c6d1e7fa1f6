// hoistd's tus 1.0.0 face on the wire, where other servers slip (docs/protocol.md,
// "tus 1.0.0"): OPTIONS, 412 with Tus-Version, 415, 400 for offsets and metadata,
// 409 with Upload-Offset, 404 and 410, Upload-Expires, Cache-Control on HEAD,
// absolute Location (Host or --public-url), CORS, concatenation (partial and final
// uploads), creation-defer-length, and the session as the native face sees it. Requests are written
// by hand so that every header is the test's choice.
#include "hoistd_process.h"
#include "test_http_client.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

namespace {
struct Answer {
    int status = 0;
    QMap<QByteArray, QByteArray> headers; // names lower-cased

    QByteArray header(const QByteArray& name) const { return headers.value(name.toLower()); }
};

const QByteArray kTus = "Tus-Resumable: 1.0.0";
const QByteArray kAlice = "Authorization: Bearer tokA";
const QByteArray kOffsetStream = "Content-Type: application/offset+octet-stream";

// One request on its own connection; only the answer's head is read (HEAD answers
// announce a length they never send).
Answer request(quint16 port, const QByteArray& method, const QByteArray& path,
               QList<QByteArray> headers, const QByteArray& body = {}) {
    QTcpSocket socket;
    socket.connectToHost("127.0.0.1", port);
    if (!socket.waitForConnected(5000))
        return {};
    QByteArray text =
        method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\n";
    if (!body.isEmpty() || method == "PATCH" || method == "POST")
        headers << "Content-Length: " + QByteArray::number(body.size());
    for (const QByteArray& line : headers)
        text += line + "\r\n";
    socket.write(text + "\r\n" + body);
    QByteArray head;
    while (!head.contains("\r\n\r\n") && socket.waitForReadyRead(15000))
        head += socket.readAll();
    Answer answer;
    const QList<QByteArray> lines = head.left(head.indexOf("\r\n\r\n")).split('\n');
    if (lines.isEmpty() || lines[0].split(' ').size() < 2)
        return answer;
    answer.status = lines[0].split(' ')[1].toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            answer.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                  lines[i].mid(colon + 1).trimmed());
    }
    return answer;
}
} // namespace

class TestTusProtocol final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void optionsAdvertisesWhatIsImplemented();
    void tusResumableIsRequired();
    void creationAnswersAnAbsoluteLocation();
    void creationRefusesWhatItCannotTake();
    void patchAnswers();
    void headAnswers();
    void unknownAndForeignUploadsAre404();
    void expiredUploadsAre410();
    void publicUrlIsTheLocationBase();
    void corsForListedOrigins();
    void concatenationMakesOneFile();
    void concatenationRefusesBadPartials();
    void partialsAreTerminatedAndSwept();
    void deferredLengthIsDeclaredByAPatch();
    void declaredLengthNeverChanges();
    void deferredPartialsAndFinals();

  private:
    QString create(qint64 length, QList<QByteArray> extra = {});
    QTemporaryDir m_dir;
    std::unique_ptr<HoistdProcess> m_hoistd;
};

void TestTusProtocol::initTestCase() {
    m_hoistd = std::make_unique<HoistdProcess>(
        m_dir.filePath("main"),
        QStringList{"--cors-origin", "https://app.example,http://b.test", "--max-size", "1G"});
    QVERIFY(m_hoistd->start());
}

QString TestTusProtocol::create(qint64 length, QList<QByteArray> extra) {
    extra << kTus << kAlice << "Upload-Length: " + QByteArray::number(length);
    const Answer created = request(m_hoistd->port(), "POST", "/tus/", extra);
    if (created.status != 201)
        return {};
    return QString::fromUtf8(created.header("location"));
}

void TestTusProtocol::optionsAdvertisesWhatIsImplemented() {
    const Answer answer = request(m_hoistd->port(), "OPTIONS", "/tus/", {});
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.header("tus-version"), QByteArray("1.0.0"));
    QCOMPARE(answer.header("tus-resumable"), QByteArray("1.0.0"));
    QCOMPARE(answer.header("tus-extension"),
             QByteArray("creation,creation-with-upload,creation-defer-length,termination,"
                        "expiration,checksum,concatenation"));
    QCOMPARE(answer.header("tus-checksum-algorithm"), QByteArray("sha1,md5,sha256"));
    QCOMPARE(answer.header("tus-max-size"), QByteArray::number(1024 * 1024 * 1024));
}

void TestTusProtocol::tusResumableIsRequired() {
    const quint16 port = m_hoistd->port();
    for (const QList<QByteArray>& headers :
         {QList<QByteArray>{kAlice, "Upload-Length: 5"},
          QList<QByteArray>{kAlice, "Upload-Length: 5", "Tus-Resumable: 0.2.2"}}) {
        const Answer answer = request(port, "POST", "/tus/", headers);
        QCOMPARE(answer.status, 412);
        QCOMPARE(answer.header("tus-version"), QByteArray("1.0.0"));
    }
    const QString location = create(5);
    const QByteArray path = QUrl(location).path().toUtf8();
    QCOMPARE(request(port, "HEAD", path, {kAlice}).status, 412);
    QCOMPARE(
        request(port, "PATCH", path, {kAlice, kOffsetStream, "Upload-Offset: 0"}, "abc").status,
        412);
    // The token is checked as for the native face.
    QCOMPARE(request(port, "POST", "/tus/", {kTus, "Upload-Length: 5"}).status, 401);
    QCOMPARE(
        request(port, "POST", "/tus/", {kTus, "Authorization: Bearer nope", "Upload-Length: 5"})
            .status,
        401);
}

void TestTusProtocol::creationAnswersAnAbsoluteLocation() {
    const quint16 port = m_hoistd->port();
    const Answer answer =
        request(port, "POST", "/tus/",
                {kTus, kAlice, "Upload-Length: 11", "Upload-Metadata: filename aGkudHh0"});
    QCOMPARE(answer.status, 201);
    const QUrl location(QString::fromUtf8(answer.header("location")));
    QCOMPARE(location.scheme(), QString("http"));
    QCOMPARE(location.host(), QString("127.0.0.1"));
    QCOMPARE(location.port(), int(port));
    QVERIFY(location.path().startsWith("/tus/"));
    QVERIFY(!answer.header("upload-expires").isEmpty());
    // The session is the native face's too.
    TestHttpClient native(m_hoistd->url());
    const QJsonObject session = native.get("/upload/" + location.path().mid(5)).json();
    QCOMPARE(session["fileName"].toString(), QString("hi.txt"));
    QCOMPARE(session["size"].toInteger(), 11);
    // creation-with-upload: the body's bytes are committed at once.
    const Answer withBody =
        request(port, "POST", "/tus/", {kTus, kAlice, "Upload-Length: 11", kOffsetStream}, "hello");
    QCOMPARE(withBody.status, 201);
    QCOMPARE(withBody.header("upload-offset"), QByteArray("5"));
}

void TestTusProtocol::creationRefusesWhatItCannotTake() {
    const quint16 port = m_hoistd->port();
    QCOMPARE(request(port, "POST", "/tus/", {kTus, kAlice}).status, 400);
    QCOMPARE(request(port, "POST", "/tus/", {kTus, kAlice, "Upload-Length: -1"}).status, 400);
    QCOMPARE(request(port, "POST", "/tus/",
                     {kTus, kAlice, "Upload-Length: 5", "Upload-Metadata: filename ***"})
                 .status,
             400);
    QCOMPARE(
        request(port, "POST", "/tus/",
                {kTus, kAlice, "Upload-Length: 5", "Upload-Metadata: filename YQ==,filename YQ=="})
            .status,
        400);
    QCOMPARE(request(port, "POST", "/tus/",
                     {kTus, kAlice, "Upload-Length: 5", "Content-Type: text/plain"}, "hello")
                 .status,
             415);
    QCOMPARE(request(port, "POST", "/tus/", {kTus, kAlice, "Upload-Length: 2000000000"}).status,
             413);
    // creation-defer-length: the header's only value is 1, and it replaces Upload-Length.
    QCOMPARE(request(port, "POST", "/tus/", {kTus, kAlice, "Upload-Defer-Length: 2"}).status, 400);
    QCOMPARE(request(port, "POST", "/tus/", {kTus, kAlice, "Upload-Defer-Length: yes"}).status,
             400);
    QCOMPARE(
        request(port, "POST", "/tus/", {kTus, kAlice, "Upload-Defer-Length: 1", "Upload-Length: 5"})
            .status,
        400);
    // A partial upload needs its length; Upload-Concat is 'partial' or 'final;URLs'.
    QCOMPARE(request(port, "POST", "/tus/", {kTus, kAlice, "Upload-Concat: partial"}).status, 400);
    QCOMPARE(request(port, "POST", "/tus/", {kTus, kAlice, "Upload-Length: 5", "Upload-Concat: x"})
                 .status,
             400);
}

void TestTusProtocol::patchAnswers() {
    const quint16 port = m_hoistd->port();
    const QByteArray path = QUrl(create(10)).path().toUtf8();
    QCOMPARE(request(port, "PATCH", path, {kTus, kAlice, "Upload-Offset: 0"}, "abc").status, 415);
    QCOMPARE(request(port, "PATCH", path,
                     {kTus, kAlice, "Content-Type: text/plain", "Upload-Offset: 0"}, "abc")
                 .status,
             415);
    QCOMPARE(request(port, "PATCH", path, {kTus, kAlice, kOffsetStream}, "abc").status, 400);
    for (const char* offset : {"abc", "-1", "1.0", "0x1", ""})
        QCOMPARE(request(port, "PATCH", path,
                         {kTus, kAlice, kOffsetStream, "Upload-Offset: " + QByteArray(offset)},
                         "abc")
                     .status,
                 400);
    const Answer first =
        request(port, "PATCH", path, {kTus, kAlice, kOffsetStream, "Upload-Offset: 0"}, "abc");
    QCOMPARE(first.status, 204);
    QCOMPARE(first.header("upload-offset"), QByteArray("3"));
    QVERIFY(!first.header("upload-expires").isEmpty());
    const Answer wrong =
        request(port, "PATCH", path, {kTus, kAlice, kOffsetStream, "Upload-Offset: 1"}, "abc");
    QCOMPARE(wrong.status, 409);
    QCOMPARE(wrong.header("upload-offset"), QByteArray("3"));
    QCOMPARE(request(port, "PATCH", path,
                     {kTus, kAlice, kOffsetStream, "Upload-Offset: 3",
                      "Upload-Checksum: crc32 AAAAAA=="},
                     "def")
                 .status,
             400);
    QCOMPARE(request(port, "PATCH", path,
                     {kTus, kAlice, kOffsetStream, "Upload-Offset: 3",
                      "Upload-Checksum: sha1 " + QByteArray(20, 'x').toBase64()},
                     "def")
                 .status,
             460);
    QCOMPARE(
        request(port, "PATCH", path, {kTus, kAlice, kOffsetStream, "Upload-Offset: 3"}, "defghijk")
            .status,
        413);
    const Answer last =
        request(port, "PATCH", path,
                {kTus, kAlice, kOffsetStream, "Upload-Offset: 3",
                 "Upload-Checksum: sha256 " +
                     QCryptographicHash::hash("defghij", QCryptographicHash::Sha256).toBase64()},
                "defghij");
    QCOMPARE(last.status, 204);
    QCOMPARE(last.header("upload-offset"), QByteArray("10"));
    TestHttpClient native(m_hoistd->url());
    const QJsonObject session = native.get("/upload/" + QString(path.mid(5))).json();
    QCOMPARE(session["state"].toString(), QString("completed"));
    QCOMPARE(request(port, "DELETE", path, {kTus, kAlice}).status, 409);
}

void TestTusProtocol::headAnswers() {
    const quint16 port = m_hoistd->port();
    const QByteArray path =
        QUrl(create(8, {"Upload-Metadata: filename YS5wbmc=,filetype aW1hZ2UvcG5n"}))
            .path()
            .toUtf8();
    QCOMPARE(request(port, "PATCH", path, {kTus, kAlice, kOffsetStream, "Upload-Offset: 0"}, "12")
                 .status,
             204);
    const Answer answer = request(port, "HEAD", path, {kTus, kAlice});
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.header("upload-offset"), QByteArray("2"));
    QCOMPARE(answer.header("upload-length"), QByteArray("8"));
    QCOMPARE(answer.header("cache-control"), QByteArray("no-store"));
    QCOMPARE(answer.header("upload-metadata"),
             QByteArray("filename YS5wbmc=,filetype aW1hZ2UvcG5n"));
    QVERIFY(answer.header("upload-expires").endsWith(" GMT"));
    QCOMPARE(request(port, "GET", path, {kTus, kAlice}).status, 405);
    QCOMPARE(request(port, "DELETE", path, {kTus, kAlice}).status, 204);
    QCOMPARE(request(port, "HEAD", path, {kTus, kAlice}).status, 404);
}

void TestTusProtocol::unknownAndForeignUploadsAre404() {
    const quint16 port = m_hoistd->port();
    const QByteArray path = QUrl(create(8)).path().toUtf8();
    QCOMPARE(request(port, "HEAD", path, {kTus, "Authorization: Bearer tokB"}).status, 404);
    QCOMPARE(request(port, "PATCH", path,
                     {kTus, "Authorization: Bearer tokB", kOffsetStream, "Upload-Offset: 0"}, "1")
                 .status,
             404);
    QCOMPARE(request(port, "DELETE", path, {kTus, "Authorization: Bearer tokB"}).status, 404);
    QCOMPARE(
        request(port, "HEAD", "/tus/0b8d3c1e-0000-4000-8000-000000000000", {kTus, kAlice}).status,
        404);
    QCOMPARE(request(port, "HEAD", "/tus/not-an-id", {kTus, kAlice}).status, 404);
}

void TestTusProtocol::expiredUploadsAre410() {
    HoistdProcess shortLived(m_dir.filePath("ttl"), {"--session-ttl", "1"});
    QVERIFY(shortLived.start());
    const Answer created =
        request(shortLived.port(), "POST", "/tus/", {kTus, kAlice, "Upload-Length: 4"});
    QCOMPARE(created.status, 201);
    const QByteArray path = QUrl(QString::fromUtf8(created.header("location"))).path().toUtf8();
    QThread::msleep(2100);
    QCOMPARE(request(shortLived.port(), "HEAD", path, {kTus, kAlice}).status, 410);
    QCOMPARE(request(shortLived.port(), "PATCH", path,
                     {kTus, kAlice, kOffsetStream, "Upload-Offset: 0"}, "ab")
                 .status,
             410);
}

void TestTusProtocol::publicUrlIsTheLocationBase() {
    HoistdProcess behindProxy(m_dir.filePath("public"),
                              {"--public-url", "https://uploads.example.com/"});
    QVERIFY(behindProxy.start());
    const Answer created =
        request(behindProxy.port(), "POST", "/tus/", {kTus, kAlice, "Upload-Length: 4"});
    QCOMPARE(created.status, 201);
    QVERIFY2(created.header("location").startsWith("https://uploads.example.com/tus/"),
             created.header("location").constData());
}

void TestTusProtocol::corsForListedOrigins() {
    const quint16 port = m_hoistd->port();
    const Answer preflight =
        request(port, "OPTIONS", "/tus/",
                {"Origin: https://app.example", "Access-Control-Request-Method: POST",
                 "Access-Control-Request-Headers: authorization, upload-length"});
    QCOMPARE(preflight.status, 200);
    QCOMPARE(preflight.header("access-control-allow-origin"), QByteArray("https://app.example"));
    for (const char* name :
         {"Authorization", "Upload-Offset", "Tus-Resumable", "Upload-Metadata", "Upload-Checksum"})
        QVERIFY2(preflight.header("access-control-allow-headers").contains(name), name);
    QVERIFY(preflight.header("access-control-allow-methods").contains("PATCH"));
    const Answer created =
        request(port, "POST", "/tus/", {kTus, kAlice, "Upload-Length: 4", "Origin: http://b.test"});
    QCOMPARE(created.status, 201);
    QCOMPARE(created.header("access-control-allow-origin"), QByteArray("http://b.test"));
    for (const char* name : {"Location", "Upload-Offset", "Upload-Length", "Upload-Defer-Length",
                             "Upload-Expires", "Upload-Metadata", "Tus-Resumable"})
        QVERIFY2(created.header("access-control-expose-headers").contains(name), name);
    // Refusals are readable too, or a browser client could not tell 401 from a network error.
    QCOMPARE(request(port, "POST", "/tus/", {kTus, "Upload-Length: 4", "Origin: http://b.test"})
                 .header("access-control-allow-origin"),
             QByteArray("http://b.test"));
    const Answer stranger = request(
        port, "POST", "/tus/", {kTus, kAlice, "Upload-Length: 4", "Origin: https://evil.test"});
    QCOMPARE(stranger.status, 201);
    QVERIFY(stranger.header("access-control-allow-origin").isEmpty());
}

namespace {
QByteArray pathOf(const QString& location) {
    return QUrl(location).path().toUtf8();
}
} // namespace

// Partial uploads are full sessions that never become files; a final one is their bytes
// in order, hashed and finalized like a native upload, and consumes them.
void TestTusProtocol::concatenationMakesOneFile() {
    const quint16 port = m_hoistd->port();
    const QByteArray partName = "Upload-Metadata: filename cGFydC5iaW4="; // part.bin
    const QString first = create(5, {"Upload-Concat: partial", partName});
    const QString second = create(3, {"Upload-Concat: partial", partName});
    QVERIFY(!first.isEmpty() && !second.isEmpty());
    const Answer partialHead = request(port, "HEAD", pathOf(first), {kTus, kAlice});
    QCOMPARE(partialHead.status, 200);
    QCOMPARE(partialHead.header("upload-concat"), QByteArray("partial"));
    QCOMPARE(partialHead.header("upload-offset"), QByteArray("0"));
    for (const auto& [location, bytes] :
         {std::pair{first, QByteArray("hello")}, std::pair{second, QByteArray("abc")}}) {
        const Answer patched = request(port, "PATCH", pathOf(location),
                                       {kTus, kAlice, kOffsetStream, "Upload-Offset: 0"}, bytes);
        QCOMPARE(patched.status, 204);
    }
    TestHttpClient native(m_hoistd->url());
    QCOMPARE(native.get("/upload/" + QString(pathOf(first).mid(5))).json()["state"].toString(),
             QString("completed"));
    const auto filesNamed = [&](const QString& name) {
        int count = 0;
        for (const auto& file : native.get("/files").json()["files"].toArray())
            count += file.toObject()["fileName"].toString() == name ? 1 : 0;
        return count;
    };
    QCOMPARE(filesNamed("part.bin"), 0); // a full partial upload is no file
    // Absolute URLs or paths, in the order of the bytes.
    const Answer final = request(port, "POST", "/tus/",
                                 {kTus, kAlice, "Upload-Metadata: filename am9pbmVkLnR4dA==",
                                  "Upload-Concat: final;" + first.toUtf8() + " " + pathOf(second)});
    QCOMPARE(final.status, 201);
    QCOMPARE(final.header("upload-offset"), QByteArray("8"));
    const QByteArray finalPath = pathOf(QString::fromUtf8(final.header("location")));
    const Answer head = request(port, "HEAD", finalPath, {kTus, kAlice});
    QCOMPARE(head.status, 200);
    QCOMPARE(head.header("upload-offset"), QByteArray("8"));
    QCOMPARE(head.header("upload-length"), QByteArray("8"));
    QCOMPARE(head.header("upload-concat"), "final;" + first.toUtf8() + " " + second.toUtf8());
    QCOMPARE(
        request(port, "PATCH", finalPath, {kTus, kAlice, kOffsetStream, "Upload-Offset: 8"}, "x")
            .status,
        403);
    const QJsonObject session = native.get("/upload/" + QString(finalPath.mid(5))).json();
    QCOMPARE(session["state"].toString(), QString("completed"));
    QCOMPARE(filesNamed("joined.txt"), 1);
    for (const auto& file : native.get("/files").json()["files"].toArray()) {
        if (file.toObject()["fileName"].toString() == "joined.txt") {
            QCOMPARE(file.toObject()["fingerprint"].toString(), QString(sha256Hex("helloabc")));
            QCOMPARE(file.toObject()["size"].toInteger(), 8);
        }
    }
    // The partials are consumed.
    QCOMPARE(request(port, "HEAD", pathOf(first), {kTus, kAlice}).status, 404);
    const Answer again =
        request(port, "POST", "/tus/", {kTus, kAlice, "Upload-Concat: final;" + pathOf(second)});
    QCOMPARE(again.status, 400);
}

void TestTusProtocol::concatenationRefusesBadPartials() {
    const quint16 port = m_hoistd->port();
    const QByteArray full = pathOf(create(2, {"Upload-Concat: partial"}));
    QCOMPARE(request(port, "PATCH", full, {kTus, kAlice, kOffsetStream, "Upload-Offset: 0"}, "ok")
                 .status,
             204);
    const QByteArray incomplete = pathOf(create(4, {"Upload-Concat: partial"}));
    const QByteArray plain = pathOf(create(4));
    const auto final = [&](const QByteArray& token, const QByteArray& urls,
                           QList<QByteArray> extra = {}) {
        extra << kTus << "Authorization: Bearer " + token << "Upload-Concat: final;" + urls;
        return request(port, "POST", "/tus/", extra);
    };
    QCOMPARE(final("tokA", full + " " + incomplete).status, 400);
    QCOMPARE(final("tokA", full + " " + plain).status, 400);
    QCOMPARE(final("tokA", full + " " + full).status, 400);
    QCOMPARE(final("tokA", full + " /tus/0b8d3c1e-0000-4000-8000-000000000000").status, 400);
    QCOMPARE(final("tokA", full + " /elsewhere/x").status, 400);
    QCOMPARE(final("tokA", full, {"Upload-Length: 2"}).status, 400);
    QCOMPARE(final("tokB", full).status, 400); // another user's partial
    // None of the refusals touched the partial: it still makes a final upload.
    const Answer made = final("tokA", full);
    QCOMPARE(made.status, 201);
    QCOMPARE(made.header("upload-offset"), QByteArray("2"));
}

void TestTusProtocol::partialsAreTerminatedAndSwept() {
    const quint16 port = m_hoistd->port();
    const QByteArray full = pathOf(create(2, {"Upload-Concat: partial"}));
    QCOMPARE(request(port, "PATCH", full, {kTus, kAlice, kOffsetStream, "Upload-Offset: 0"}, "ok")
                 .status,
             204);
    const QString object = m_hoistd->dataDir() + "/objects/" + QString(full.mid(5));
    QVERIFY(QFileInfo::exists(object));
    QCOMPARE(request(port, "DELETE", full, {kTus, kAlice}).status, 204);
    QCOMPARE(request(port, "HEAD", full, {kTus, kAlice}).status, 404);
    QVERIFY(!QFileInfo::exists(object));

    HoistdProcess shortLived(m_dir.filePath("partial-ttl"),
                             {"--session-ttl", "1", "--sweep-interval", "1"});
    QVERIFY(shortLived.start());
    const Answer created = request(shortLived.port(), "POST", "/tus/",
                                   {kTus, kAlice, "Upload-Length: 2", "Upload-Concat: partial"});
    QCOMPARE(created.status, 201);
    const QByteArray path = pathOf(QString::fromUtf8(created.header("location")));
    QCOMPARE(request(shortLived.port(), "PATCH", path,
                     {kTus, kAlice, kOffsetStream, "Upload-Offset: 0"}, "ok")
                 .status,
             204);
    const QString swept = shortLived.dataDir() + "/objects/" + QString(path.mid(5));
    QVERIFY(QFileInfo::exists(swept));
    QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(swept), 10000);
}

namespace {
const QByteArray kDefer = "Upload-Defer-Length: 1";

// A PATCH of Alice's at `offset` that declares the upload's length (any text).
Answer declaringPatch(quint16 port, const QByteArray& path, int offset, const QByteArray& length,
                      const QByteArray& bytes = {}) {
    return request(port, "PATCH", path,
                   {kTus, kAlice, kOffsetStream, "Upload-Offset: " + QByteArray::number(offset),
                    "Upload-Length: " + length},
                   bytes);
}
} // namespace

// creation-defer-length: HEAD says the length is deferred and the native face shows no
// size until a PATCH declares it; that PATCH's bytes then complete the upload.
void TestTusProtocol::deferredLengthIsDeclaredByAPatch() {
    const quint16 port = m_hoistd->port();
    const Answer created =
        request(port, "POST", "/tus/",
                {kTus, kAlice, kDefer, "Upload-Metadata: filename ZGVmZXJyZWQudHh0", kOffsetStream},
                "hello");
    QCOMPARE(created.status, 201);
    QCOMPARE(created.header("upload-offset"), QByteArray("5"));
    const QByteArray path = pathOf(QString::fromUtf8(created.header("location")));
    const Answer deferred = request(port, "HEAD", path, {kTus, kAlice});
    QCOMPARE(deferred.status, 200);
    QCOMPARE(deferred.header("upload-defer-length"), QByteArray("1"));
    QVERIFY(!deferred.headers.contains("upload-length"));
    QCOMPARE(deferred.header("upload-offset"), QByteArray("5"));
    TestHttpClient native(m_hoistd->url());
    const QString id = QString(path.mid(5));
    QJsonObject session = native.get("/upload/" + id).json();
    QVERIFY(session["size"].isNull());
    QCOMPARE(session["lengthDeferred"].toBool(), true);
    QCOMPARE(session["uploadedBytes"].toInteger(), 5);
    QCOMPARE(native.putChunk(id, 5, "abc").status, 400);
    QCOMPARE(native.send("POST", "/upload/" + id + "/complete", "{}").status, 409);
    // Below the bytes received: refused with the offset; too many bytes for the length
    // sent with them: refused before anything is declared.
    const Answer below = declaringPatch(port, path, 5, "3");
    QCOMPARE(below.status, 400);
    QCOMPARE(below.header("upload-offset"), QByteArray("5"));
    QCOMPARE(declaringPatch(port, path, 5, "8", "abcdef").status, 413);
    QCOMPARE(declaringPatch(port, path, 4, "8", "abc").status, 409);
    QCOMPARE(declaringPatch(port, path, 5, "x", "abc").status, 400);
    QCOMPARE(declaringPatch(port, path, 5, "2000000000", "abc").status, 413); // --max-size 1G
    QCOMPARE(request(port, "HEAD", path, {kTus, kAlice}).header("upload-defer-length"),
             QByteArray("1"));
    const Answer last = declaringPatch(port, path, 5, "8", "abc");
    QCOMPARE(last.status, 204);
    QCOMPARE(last.header("upload-offset"), QByteArray("8"));
    const Answer head = request(port, "HEAD", path, {kTus, kAlice});
    QCOMPARE(head.header("upload-length"), QByteArray("8"));
    QVERIFY(!head.headers.contains("upload-defer-length"));
    session = native.get("/upload/" + id).json();
    QCOMPARE(session["state"].toString(), QString("completed"));
    QCOMPARE(session["size"].toInteger(), 8);
    QVERIFY(!session.contains("lengthDeferred"));
    bool found = false;
    for (const auto& file : native.get("/files").json()["files"].toArray()) {
        if (file.toObject()["fileName"].toString() == "deferred.txt") {
            found = true;
            QCOMPARE(file.toObject()["fingerprint"].toString(), QString(sha256Hex("helloabc")));
        }
    }
    QVERIFY(found);
}

void TestTusProtocol::declaredLengthNeverChanges() {
    const quint16 port = m_hoistd->port();
    const Answer created = request(port, "POST", "/tus/", {kTus, kAlice, kDefer});
    QCOMPARE(created.status, 201);
    const QByteArray path = pathOf(QString::fromUtf8(created.header("location")));
    QCOMPARE(declaringPatch(port, path, 0, "6", "ab").status, 204);
    QCOMPARE(declaringPatch(port, path, 2, "7", "cd").status, 400);
    QCOMPARE(declaringPatch(port, path, 2, "6", "cd").status, 204); // the same length again
    const Answer head = request(port, "HEAD", path, {kTus, kAlice});
    QCOMPARE(head.header("upload-length"), QByteArray("6"));
    QCOMPARE(head.header("upload-offset"), QByteArray("4"));
    // Any upload may be told its length again; only the one it has.
    const QByteArray known = pathOf(create(3));
    QCOMPARE(declaringPatch(port, known, 0, "4", "x").status, 400);
    QCOMPARE(declaringPatch(port, known, 0, "3", "xyz").status, 204);
}

// A partial upload may defer its length, but a final one cannot name it before that.
void TestTusProtocol::deferredPartialsAndFinals() {
    const quint16 port = m_hoistd->port();
    const Answer created =
        request(port, "POST", "/tus/", {kTus, kAlice, kDefer, "Upload-Concat: partial"});
    QCOMPARE(created.status, 201);
    const QString partial = QString::fromUtf8(created.header("location"));
    QCOMPARE(request(port, "PATCH", pathOf(partial),
                     {kTus, kAlice, kOffsetStream, "Upload-Offset: 0"}, "tw")
                 .status,
             204);
    const auto final = [&](QList<QByteArray> extra = {}) {
        extra << kTus << kAlice << "Upload-Concat: final;" + pathOf(partial);
        return request(port, "POST", "/tus/", extra);
    };
    QCOMPARE(final({kDefer}).status, 400);
    QCOMPARE(final().status, 400); // its length is not declared yet
    QCOMPARE(declaringPatch(port, pathOf(partial), 2, "3", "o").status, 204);
    const Answer made = final();
    QCOMPARE(made.status, 201);
    QCOMPARE(made.header("upload-offset"), QByteArray("3"));
}

QTEST_GUILESS_MAIN(TestTusProtocol)
#include "tst_tus_protocol.moc"
