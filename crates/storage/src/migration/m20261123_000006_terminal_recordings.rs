//! Terminal session recordings: who, where, when, and the recording's data key sealed by the vault
//! (the encrypted stream itself lives in a file under the data directory).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TerminalRecordings {
    Table,
    Id,
    HostId,
    HostName,
    UserId,
    Username,
    StartedAt,
    EndedAt,
    Bytes,
    Ciphertext,
    Nonce,
    WrappedKey,
    KeyNonce,
    KeyId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let blob = |c| ColumnDef::new(c).blob().not_null().to_owned();
        m.create_table(
            Table::create()
                .table(TerminalRecordings::Table)
                .col(
                    ColumnDef::new(TerminalRecordings::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(TerminalRecordings::HostId).uuid().not_null())
                .col(
                    ColumnDef::new(TerminalRecordings::HostName)
                        .string()
                        .not_null(),
                )
                .col(ColumnDef::new(TerminalRecordings::UserId).uuid().not_null())
                .col(
                    ColumnDef::new(TerminalRecordings::Username)
                        .string()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TerminalRecordings::StartedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TerminalRecordings::EndedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(
                    ColumnDef::new(TerminalRecordings::Bytes)
                        .big_integer()
                        .not_null()
                        .default(0),
                )
                .col(blob(TerminalRecordings::Ciphertext))
                .col(blob(TerminalRecordings::Nonce))
                .col(blob(TerminalRecordings::WrappedKey))
                .col(blob(TerminalRecordings::KeyNonce))
                .col(
                    ColumnDef::new(TerminalRecordings::KeyId)
                        .string()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_terminal_recordings_started")
                .table(TerminalRecordings::Table)
                .col(TerminalRecordings::StartedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(TerminalRecordings::Table).to_owned())
            .await
    }
}
