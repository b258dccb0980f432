//! The secrets vault: encrypted values and the master-key check record.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Secrets {
    Table,
    Id,
    Name,
    Kind,
    Description,
    Scope,
    Tags,
    Metadata,
    Ciphertext,
    Nonce,
    WrappedKey,
    KeyNonce,
    KeyId,
    CreatedBy,
    UpdatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
    ValueVersion,
    LastUsedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum VaultKeyCheck {
    Table,
    Id,
    Ciphertext,
    Nonce,
    WrappedKey,
    KeyNonce,
    KeyId,
    CreatedAt,
}

fn blob(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).blob().not_null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Secrets::Table)
                .col(ColumnDef::new(Secrets::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Secrets::Name).string().not_null())
                .col(ColumnDef::new(Secrets::Kind).string().not_null())
                .col(
                    ColumnDef::new(Secrets::Description)
                        .string()
                        .not_null()
                        .default(""),
                )
                // `global` now; a project id when projects arrive.
                .col(
                    ColumnDef::new(Secrets::Scope)
                        .string()
                        .not_null()
                        .default("global"),
                )
                .col(ColumnDef::new(Secrets::Tags).json().not_null())
                .col(ColumnDef::new(Secrets::Metadata).json().not_null())
                .col(blob(Secrets::Ciphertext))
                .col(blob(Secrets::Nonce))
                .col(blob(Secrets::WrappedKey))
                .col(blob(Secrets::KeyNonce))
                .col(ColumnDef::new(Secrets::KeyId).string().not_null())
                .col(ColumnDef::new(Secrets::CreatedBy).uuid().null())
                .col(ColumnDef::new(Secrets::UpdatedBy).uuid().null())
                .col(
                    ColumnDef::new(Secrets::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Secrets::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Secrets::Version)
                        .big_integer()
                        .not_null()
                        .default(1),
                )
                .col(
                    ColumnDef::new(Secrets::ValueVersion)
                        .big_integer()
                        .not_null()
                        .default(1),
                )
                .col(
                    ColumnDef::new(Secrets::LastUsedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(
                    ColumnDef::new(Secrets::ExpiresAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_secrets_scope_name")
                .table(Secrets::Table)
                .col(Secrets::Scope)
                .col(Secrets::Name)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(VaultKeyCheck::Table)
                .col(
                    ColumnDef::new(VaultKeyCheck::Id)
                        .integer()
                        .not_null()
                        .primary_key(),
                )
                .col(blob(VaultKeyCheck::Ciphertext))
                .col(blob(VaultKeyCheck::Nonce))
                .col(blob(VaultKeyCheck::WrappedKey))
                .col(blob(VaultKeyCheck::KeyNonce))
                .col(ColumnDef::new(VaultKeyCheck::KeyId).string().not_null())
                .col(
                    ColumnDef::new(VaultKeyCheck::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(VaultKeyCheck::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Secrets::Table).to_owned())
            .await
    }
}
