// Long default names: each column's default-named unique, foreign key, index or identity
// sequence is longer than 63 bytes, and their 63-byte prefixes differ, so PostgreSQL's cut
// names are distinct and the schema applies.
import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';

export const organizations = pgTable('organizations', {
  id: integer('id').primaryKey(),
});

export const subscriptionEntitlementRecords = pgTable(
  'subscription_entitlement_records',
  {
    id: integer('id').primaryKey(),
    primaryContactEmailAddressForBilling: text('primary_contact_email_address_for_billing').unique(),
    secondaryReferenceOrganizationIdentifier: integer('secondary_reference_organization_identifier').references(
      () => organizations.id,
    ),
    tertiaryLookupCodeForExternalSystems: text('tertiary_lookup_code_for_external_systems'),
    quaternarySequenceNumberGeneratedIdentity: integer('quaternary_sequence_number_generated_identity').generatedAlwaysAsIdentity(),
  },
  (t) => [index().on(t.tertiaryLookupCodeForExternalSystems)],
);
