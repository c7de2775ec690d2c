using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HamachiCloud.Migrations.Postgres
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
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ApiNodes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    HeartbeatAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
