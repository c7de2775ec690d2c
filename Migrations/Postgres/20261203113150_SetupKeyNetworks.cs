using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HamachiCloud.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SetupKeyNetworks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SetupKeyNetworks",
                columns: table => new
                {
                    SetupKeyId = table.Column<Guid>(type: "uuid", nullable: false),
                    NetworkId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SetupKeyNetworks", x => new { x.SetupKeyId, x.NetworkId });
                    table.ForeignKey(
                        name: "FK_SetupKeyNetworks_Networks_NetworkId",
                        column: x => x.NetworkId,
                        principalTable: "Networks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SetupKeyNetworks_SetupKeys_SetupKeyId",
                        column: x => x.SetupKeyId,
                        principalTable: "SetupKeys",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SetupKeyNetworks_NetworkId",
                table: "SetupKeyNetworks",
                column: "NetworkId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SetupKeyNetworks");
        }
    }
}
