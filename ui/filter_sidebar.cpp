#include "filter_sidebar.h"

#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

namespace hoist {

FilterSidebar::FilterSidebar(QWidget* parent)
    : QWidget(parent), m_search(new QLineEdit(this)), m_filters(new QListWidget(this)) {
    m_search->setObjectName(QStringLiteral("search"));
    m_search->setPlaceholderText(tr("Search by name"));
    m_search->setClearButtonEnabled(true);
    m_filters->setObjectName(QStringLiteral("filters"));
    for (const QueueFilter filter : kQueueFilters) {
        auto* item = new QListWidgetItem(queueFilterLabel(filter), m_filters);
        item->setData(Qt::UserRole, static_cast<int>(filter));
    }
    m_filters->setCurrentRow(0);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_search);
    layout->addWidget(m_filters);
    setCounts({});
    connect(m_search, &QLineEdit::textChanged, this, &FilterSidebar::searchChanged);
    connect(m_filters, &QListWidget::currentRowChanged, this,
            [this] { emit filterChosen(filter()); });
}

QueueFilter FilterSidebar::filter() const {
    const QListWidgetItem* item = m_filters->currentItem();
    return item ? static_cast<QueueFilter>(item->data(Qt::UserRole).toInt()) : QueueFilter::All;
}

void FilterSidebar::setCounts(const QueueFilterCounts& counts) {
    for (int row = 0; row < m_filters->count(); ++row) {
        QListWidgetItem* item = m_filters->item(row);
        const auto filter = static_cast<QueueFilter>(item->data(Qt::UserRole).toInt());
        item->setText(tr("%1 (%2)").arg(queueFilterLabel(filter)).arg(counts.count(filter)));
    }
    // As narrow as its longest entry: the table keeps the width.
    m_filters->setFixedWidth(m_filters->sizeHintForColumn(0) + 2 * m_filters->frameWidth() + 8);
}

} // namespace hoist
