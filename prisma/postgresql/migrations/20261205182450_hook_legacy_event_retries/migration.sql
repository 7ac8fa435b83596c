-- AlterTable
ALTER TABLE "Hook" ADD COLUMN     "event" TEXT,
ADD COLUMN     "retries" INTEGER;
