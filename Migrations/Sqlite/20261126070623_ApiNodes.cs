using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HamachiCloud.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ApiNodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ConnectionNodeId",
                table: "Devices",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ApiNodes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    HeartbeatAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiNodes", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Devices_ConnectionNodeId",
                table: "Devices",
                column: "ConnectionNodeId");

            migrationBuilder.CreateIndex(
                name: "IX_ApiNodes_HeartbeatAt",
                table: "ApiNodes",
                column: "HeartbeatAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApiNodes");

            migrationBuilder.DropIndex(
                name: "IX_Devices_ConnectionNodeId",
                table: "Devices");

            migrationBuilder.DropColumn(
                name: "ConnectionNodeId",
                table: "Devices");
        }
    }
}
