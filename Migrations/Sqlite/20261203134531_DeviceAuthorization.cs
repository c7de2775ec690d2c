using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HamachiCloud.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeviceAuthorization : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "AuthorizationId",
                table: "Devices",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Devices_AuthorizationId",
                table: "Devices",
                column: "AuthorizationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Devices_AuthorizationId",
                table: "Devices");

            migrationBuilder.DropColumn(
                name: "AuthorizationId",
                table: "Devices");
        }
    }
}
