-- CreateTable
CREATE TABLE "Organization" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "customData" JSONB NOT NULL,
    "isMfaRequired" BOOLEAN NOT NULL DEFAULT false,
    "color" JSONB NOT NULL,
    "branding" JSONB NOT NULL,
    "customCss" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "OrganizationScope" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "OrganizationRole" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "type" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "OrganizationRoleScope" (
    "roleId" TEXT NOT NULL,
    "scopeId" TEXT NOT NULL,

    PRIMARY KEY ("roleId", "scopeId"),
    CONSTRAINT "OrganizationRoleScope_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "OrganizationRole" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OrganizationRoleScope_scopeId_fkey" FOREIGN KEY ("scopeId") REFERENCES "OrganizationScope" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OrganizationRoleResourceScope" (
    "roleId" TEXT NOT NULL,
    "scopeId" TEXT NOT NULL,

    PRIMARY KEY ("roleId", "scopeId"),
    CONSTRAINT "OrganizationRoleResourceScope_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "OrganizationRole" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OrganizationRoleResourceScope_scopeId_fkey" FOREIGN KEY ("scopeId") REFERENCES "Scope" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OrganizationUser" (
    "organizationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("organizationId", "userId"),
    CONSTRAINT "OrganizationUser_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OrganizationUser_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OrganizationUserRole" (
    "organizationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "roleId" TEXT NOT NULL,

    PRIMARY KEY ("organizationId", "userId", "roleId"),
    CONSTRAINT "OrganizationUserRole_organizationId_userId_fkey" FOREIGN KEY ("organizationId", "userId") REFERENCES "OrganizationUser" ("organizationId", "userId") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OrganizationUserRole_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "OrganizationRole" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OrganizationApplication" (
    "organizationId" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("organizationId", "applicationId"),
    CONSTRAINT "OrganizationApplication_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OrganizationApplication_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OrganizationApplicationRole" (
    "organizationId" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "roleId" TEXT NOT NULL,

    PRIMARY KEY ("organizationId", "applicationId", "roleId"),
    CONSTRAINT "OrganizationApplicationRole_organizationId_applicationId_fkey" FOREIGN KEY ("organizationId", "applicationId") REFERENCES "OrganizationApplication" ("organizationId", "applicationId") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OrganizationApplicationRole_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "OrganizationRole" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OrganizationInvitation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "inviterId" TEXT,
    "invitee" TEXT NOT NULL,
    "acceptedUserId" TEXT,
    "organizationId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "OrganizationInvitation_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OrganizationInvitation_inviterId_fkey" FOREIGN KEY ("inviterId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OrganizationInvitationRole" (
    "invitationId" TEXT NOT NULL,
    "roleId" TEXT NOT NULL,

    PRIMARY KEY ("invitationId", "roleId"),
    CONSTRAINT "OrganizationInvitationRole_invitationId_fkey" FOREIGN KEY ("invitationId") REFERENCES "OrganizationInvitation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OrganizationInvitationRole_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "OrganizationRole" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OrganizationJitEmailDomain" (
    "organizationId" TEXT NOT NULL,
    "emailDomain" TEXT NOT NULL,

    PRIMARY KEY ("organizationId", "emailDomain"),
    CONSTRAINT "OrganizationJitEmailDomain_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OrganizationJitRole" (
    "organizationId" TEXT NOT NULL,
    "roleId" TEXT NOT NULL,

    PRIMARY KEY ("organizationId", "roleId"),
    CONSTRAINT "OrganizationJitRole_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OrganizationJitRole_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "OrganizationRole" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Organization_createdAt_idx" ON "Organization"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "OrganizationScope_name_key" ON "OrganizationScope"("name");

-- CreateIndex
CREATE UNIQUE INDEX "OrganizationRole_name_key" ON "OrganizationRole"("name");

-- CreateIndex
CREATE INDEX "OrganizationRoleScope_scopeId_idx" ON "OrganizationRoleScope"("scopeId");

-- CreateIndex
CREATE INDEX "OrganizationRoleResourceScope_scopeId_idx" ON "OrganizationRoleResourceScope"("scopeId");

-- CreateIndex
CREATE INDEX "OrganizationUser_userId_idx" ON "OrganizationUser"("userId");

-- CreateIndex
CREATE INDEX "OrganizationUserRole_roleId_idx" ON "OrganizationUserRole"("roleId");

-- CreateIndex
CREATE INDEX "OrganizationApplication_applicationId_idx" ON "OrganizationApplication"("applicationId");

-- CreateIndex
CREATE INDEX "OrganizationApplicationRole_roleId_idx" ON "OrganizationApplicationRole"("roleId");

-- CreateIndex
CREATE INDEX "OrganizationInvitation_organizationId_invitee_idx" ON "OrganizationInvitation"("organizationId", "invitee");

-- CreateIndex
CREATE INDEX "OrganizationInvitation_createdAt_idx" ON "OrganizationInvitation"("createdAt");
