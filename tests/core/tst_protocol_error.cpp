// ProtocolError is classified by the server's error code first, by status only
// when the code is missing or unknown: one row per code of docs/protocol.md.

#include "protocol_error.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using hoist::ProtocolError;
using Kind = ProtocolError::Kind;

namespace {

struct Row {
    int status;
    const char* code;
    Kind kind;
    bool retryable;
};

constexpr Row kByCode[] = {
    // docs/protocol.md, "Errors"
    {400, "bad_request", Kind::BadRequest, false},
    {401, "unauthorized", Kind::Unauthorized, false},
    {404, "not_found", Kind::NotFound, false},
    {409, "offset_mismatch", Kind::OffsetMismatch, false},
    {409, "completed", Kind::Completed, false},
    {409, "finalizing", Kind::Finalizing, false},
    {409, "session_failed", Kind::SessionFailed, false},
    {409, "incomplete", Kind::Incomplete, false},
    {400, "length_required", Kind::LengthRequired, false},
    {413, "too_large", Kind::TooLarge, false},
    {413, "exceeds_size", Kind::ExceedsSize, false},
    {413, "payload_too_large", Kind::PayloadTooLarge, false},
    {416, "range_not_satisfiable", Kind::RangeNotSatisfiable, false},
    {422, "checksum_mismatch", Kind::ChecksumMismatch, false},
    {422, "fingerprint_mismatch", Kind::FingerprintMismatch, false},
    {422, "type_not_allowed", Kind::TypeNotAllowed, false},
    {423, "locked", Kind::Locked, true},
    {503, "storage_unavailable", Kind::StorageUnavailable, true},
    {405, "method_not_allowed", Kind::BadRequest, false},
    {408, "request_timeout", Kind::Timeout, true},
    {414, "uri_too_long", Kind::BadRequest, false},
    {415, "unsupported_media_type", Kind::BadRequest, false},
    {431, "request_header_fields_too_large", Kind::BadRequest, false},
    {410, "gone", Kind::NotFound, false},
    {412, "unsupported_version", Kind::BadRequest, false},
    {403, "final_upload", Kind::BadRequest, false},
    {460, "checksum_mismatch", Kind::ChecksumMismatch, false},
    // docs/protocol.md, "Limits and overload"
    {429, "too_many_sessions", Kind::TooManySessions, true},
    {413, "quota_exceeded", Kind::QuotaExceeded, false},
    {507, "insufficient_storage", Kind::InsufficientStorage, true},
    {503, "unavailable", Kind::Unavailable, true},
};

// Answers with no code we know: a proxy's page, an older or another server.
constexpr Row kByStatus[] = {
    {409, "", Kind::OffsetMismatch, false},     {409, "something_new", Kind::OffsetMismatch, false},
    {422, "", Kind::UnexpectedStatus, false},   {429, "", Kind::UnexpectedStatus, true},
    {500, "internal", Kind::ServerError, true}, {502, "", Kind::ServerError, true},
    {503, "", Kind::Unavailable, true},         {418, "", Kind::UnexpectedStatus, false},
};

template <size_t N> void addRows(const Row (&rows)[N]) {
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("retryable");
    for (const Row& row : rows)
        QTest::addRow("%d %s", row.status, row.code) << row.status << QString::fromLatin1(row.code)
                                                     << static_cast<int>(row.kind) << row.retryable;
}

} // namespace

class TestProtocolError final : public QObject {
    Q_OBJECT

  private slots:
    void classifiesByCode_data() { addRows(kByCode); }
    void classifiesByCode() { check(); }

    void classifiesByStatusWithoutAKnownCode_data() { addRows(kByStatus); }
    void classifiesByStatusWithoutAKnownCode() { check(); }

    // Keeps the rows above in step with the table the server follows.
    void everyDocumentedCodeHasARow() {
        QFile doc(QStringLiteral(HOIST_PROTOCOL_DOC));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        static const QRegularExpression tableRow(
            QStringLiteral("^\\| (\\d{3}) \\| `([a-z_]+)` \\|"),
            QRegularExpression::MultilineOption);
        QSet<QString> tested;
        for (const Row& row : kByCode)
            tested.insert(QStringLiteral("%1 %2").arg(row.status).arg(QLatin1String(row.code)));
        int documented = 0;
        for (const auto& match : tableRow.globalMatch(QString::fromUtf8(doc.readAll()))) {
            ++documented;
            const QString entry = match.captured(1) + QLatin1Char(' ') + match.captured(2);
            QVERIFY2(tested.contains(entry), qPrintable(entry));
        }
        QVERIFY(documented >= 18);
    }

    void uploadedBytesFromBodyOrHeader() {
        const auto fromBody = ProtocolError::fromResponse(
            409, {{"error", "offset_mismatch"}, {"uploadedBytes", 42}}, "7");
        QCOMPARE(fromBody.uploadedBytes, std::optional<qint64>(42));
        const auto fromHeader =
            ProtocolError::fromResponse(409, {{"error", "offset_mismatch"}}, "7");
        QCOMPARE(fromHeader.uploadedBytes, std::optional<qint64>(7));
    }
    void storedChunksOfAParallelSessionsConflict() {
        // docs/protocol.md, "Parallel chunks": how a lost answer's chunk shows as stored.
        const auto conflict =
            ProtocolError::fromResponse(409,
                                        {{"error", "offset_mismatch"},
                                         {"uploadedBytes", 8},
                                         {"storedChunks", QJsonArray{2, 5, "x", -1}}},
                                        "8");
        QCOMPARE(conflict.storedChunks, (QList<qint64>{2, 5}));
        QVERIFY(ProtocolError::fromResponse(409, {{"error", "offset_mismatch"}}, "8")
                    .storedChunks.isEmpty());
    }

  private:
    static void check() {
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(int, kind);
        QFETCH(bool, retryable);
        const QJsonObject body = code.isEmpty() ? QJsonObject{} : QJsonObject{{"error", code}};
        const auto error = ProtocolError::fromResponse(status, body, {});
        QCOMPARE(static_cast<int>(error.kind), kind);
        QCOMPARE(error.isRetryable(), retryable);
        QCOMPARE(error.httpStatus, status);
    }
};

QTEST_GUILESS_MAIN(TestProtocolError)
#include "tst_protocol_error.moc"
