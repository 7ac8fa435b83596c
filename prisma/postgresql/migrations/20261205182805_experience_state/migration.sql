-- AlterTable
ALTER TABLE "Interaction" ADD COLUMN     "experience" JSONB;
