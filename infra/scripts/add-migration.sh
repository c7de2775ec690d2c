#!/usr/bin/env bash
# Adds a migration with the same name for both providers (SQLite and PostgreSQL).
# Usage: infra/scripts/add-migration.sh NAME
set -euo pipefail
name=${1:?usage: add-migration.sh NAME}
cd "$(dirname "$0")/../.."
dotnet tool restore >/dev/null
dotnet build Migrations/HamachiCloud.Migrations.csproj -nologo -v q
for pair in "SqliteHamachiDbContext Sqlite" "PostgresHamachiDbContext Postgres"; do
  set -- $pair
  echo "==> $2: $name"
  dotnet ef migrations add "$name" --no-build --project Migrations --context "$1" --output-dir "$2"
done
