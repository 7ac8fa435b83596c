-- DropIndex
DROP INDEX "OrganizationApplication_applicationId_idx";

-- DropIndex
DROP INDEX "OrganizationUser_userId_idx";

-- AlterTable
ALTER TABLE "AuthorizationCode" ADD COLUMN     "organizationId" TEXT;

-- CreateIndex
CREATE INDEX "OrganizationApplication_organizationId_createdAt_idx" ON "OrganizationApplication"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "OrganizationApplication_applicationId_createdAt_idx" ON "OrganizationApplication"("applicationId", "createdAt");

-- CreateIndex
CREATE INDEX "OrganizationInvitation_inviterId_idx" ON "OrganizationInvitation"("inviterId");

-- CreateIndex
CREATE INDEX "OrganizationInvitationRole_roleId_idx" ON "OrganizationInvitationRole"("roleId");

-- CreateIndex
CREATE INDEX "OrganizationJitEmailDomain_emailDomain_idx" ON "OrganizationJitEmailDomain"("emailDomain");

-- CreateIndex
CREATE INDEX "OrganizationJitRole_roleId_idx" ON "OrganizationJitRole"("roleId");

-- CreateIndex
CREATE INDEX "OrganizationUser_organizationId_createdAt_idx" ON "OrganizationUser"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "OrganizationUser_userId_createdAt_idx" ON "OrganizationUser"("userId", "createdAt");
