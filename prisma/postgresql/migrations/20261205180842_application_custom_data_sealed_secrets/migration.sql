-- AlterTable
ALTER TABLE "Application" ADD COLUMN     "customData" JSONB;

-- AlterTable
ALTER TABLE "ApplicationSecret" ADD COLUMN     "sealedValue" TEXT;
