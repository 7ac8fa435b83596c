-- AlterTable
ALTER TABLE "Hook" ADD COLUMN "event" TEXT;
ALTER TABLE "Hook" ADD COLUMN "retries" INTEGER;
