import { toNestErrors } from '@hookform/resolvers';
import { Alert, Anchor, Button, Card, Group, Radio, Select, SimpleGrid, Stack, Title } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Controller, useForm, type FieldErrors, type Resolver } from 'react-hook-form';
import { CA_LABELS, describeKeyType, type IssuingTemplate, type TemplateKeyType } from '../../../shared';
import { hrefOf } from '../../app/routes';
import { useNavigate } from '../../app/useRoute';
import { useKeyGenerationDown } from '../../app/ServicesStatusContext';
import { inUserWords } from '../../lib/user-words';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useRpc } from '../../hooks/useRpc';
import { EMPTY_REQUEST_FORM, placeServerErrors, templateValidityDays, validateRequestForm, type RequestFormField, type RequestFormValues } from '../../lib/request-form';
import { RequestPendingOffline, RequestProgress, RequestRefused } from './RequestProgress';
import { useSubmitRequest } from './useSubmitRequest';
import { CsrSection } from './sections/CsrSection';
import { CURVE_LABEL, KeyAndValiditySection } from './sections/KeyAndValiditySection';
import { SubjectSection } from './sections/SubjectSection';

function allowed(template: IssuingTemplate | undefined) {
  const rsa = template?.keyTypes.find((k): k is Extract<TemplateKeyType, { keyType: 'RSA' }> => k.keyType === 'RSA')?.keyLengths ?? [];
  const ec = template?.keyTypes.find((k): k is Extract<TemplateKeyType, { keyType: 'EC' }> => k.keyType === 'EC')?.keyCurves ?? [];
  return { rsa, ec };
}

function toFieldErrors(list: { field: RequestFormField | null; message: string }[]): FieldErrors {
  const flat: Record<string, { type: string; message: string }> = {};
  for (const e of list) if (e.field && !flat[e.field]) flat[e.field] = { type: 'schema', message: e.message };
  return flat as FieldErrors;
}

export function NewRequestPage() {
  const navigate = useNavigate();
  const applications = useRpc('listApplications', {});
  const templates = useRpc('listIssuingTemplates', {});
  const serverTypes = useRpc('listServerTypes', {});
  const { phase, submit, reset: resetPhase } = useSubmitRequest();
  const [generalErrors, setGeneralErrors] = useState<string[]>([]);

  const templateRef = useRef<IssuingTemplate | undefined>(undefined);
  // The shared certificateRequestBodySchema, applied to the body this form will send, messages placed on its fields.
  const resolver: Resolver<RequestFormValues> = async (values, _ctx, options) => {
    const result = validateRequestForm(values, templateRef.current);
    const general = result.errors.filter((e) => e.field === null).map((e) => e.message);
    // Same messages, same array: re-validation while typing must not move focus to them again.
    setGeneralErrors((prev) => (prev.length === general.length && prev.every((m, i) => m === general[i]) ? prev : general));
    if (result.body) return { values, errors: {} };
    return { values: {}, errors: toNestErrors<RequestFormValues>(toFieldErrors(result.errors), options) };
  };

  const form = useForm<RequestFormValues>({ defaultValues: EMPTY_REQUEST_FORM, resolver, mode: 'onSubmit', reValidateMode: 'onChange' });
  const { control, register, watch, setValue, setError, handleSubmit, formState } = form;
  const errors = formState.errors;

  const applicationId = watch('applicationId');
  const templateId = watch('certificateIssuingTemplateId');
  const keyGeneration = watch('keyGeneration');
  const keyType = watch('keyType');
  const keyLength = watch('keyLength');
  const keyCurve = watch('keyCurve');
  const serverTypeId = watch('applicationServerTypeId');

  const application = applications.data?.find((a) => a.id === applicationId);
  const template = templates.data?.find((t) => t.id === templateId);
  templateRef.current = template;
  const limits = allowed(template);
  const validity = template ? templateValidityDays(template) : undefined;
  const serverType = serverTypes.data?.find((s) => s.id === serverTypeId);

  const templateOptions = useMemo(() => {
    if (!application) return [];
    return Object.entries(application.certificateIssuingTemplateAliasIdMap).map(([alias, id]) => {
      const t = templates.data?.find((x) => x.id === id);
      return { value: id, label: t && t.name !== alias ? `${alias} (${t.name})` : alias };
    });
  }, [application, templates.data]);

  // A lone application or template is chosen for the user.
  useEffect(() => {
    if (!applicationId && applications.data?.length === 1) setValue('applicationId', applications.data[0]!.id);
  }, [applications.data, applicationId, setValue]);
  useEffect(() => {
    const defaultAlias = application?.certificateIssuingTemplateAliasIdMap.Default;
    if (templateOptions.length === 1 && templateId !== templateOptions[0]!.value) setValue('certificateIssuingTemplateId', templateOptions[0]!.value);
    // Several: the one the application calls Default, as the cloud's clients pick it.
    else if (!templateId && defaultAlias && templateOptions.some((o) => o.value === defaultAlias)) setValue('certificateIssuingTemplateId', defaultAlias);
    else if (templateId && !templateOptions.some((o) => o.value === templateId)) setValue('certificateIssuingTemplateId', '');
  }, [templateOptions, templateId, setValue, application]);

  // The template decides the key types, the validity and which key generation is allowed.
  useEffect(() => {
    if (!template) return;
    const { rsa, ec } = allowed(template);
    const rec = template.recommendedSettings.key;
    const nextType = rec?.type && (rec.type === 'RSA' ? rsa.length : ec.length) ? rec.type : rsa.length ? 'RSA' : 'EC';
    setValue('keyType', nextType);
    if (rsa.length) setValue('keyLength', rsa.includes(rec?.length as never) ? (rec!.length as (typeof rsa)[number]) : rsa[0]!);
    if (ec.length) setValue('keyCurve', rec?.curve && ec.includes(rec.curve) ? rec.curve : ec[0]!);
    setValue('validityDays', templateValidityDays(template).defaultDays);
    if (!template.keyGeneratedByVenafiAllowed) setValue('keyGeneration', 'CSR_UPLOAD');
    else if (!template.csrUploadAllowed) setValue('keyGeneration', 'SATELLITE');
    const r = template.recommendedSettings;
    const fill = (field: 'organization' | 'locality' | 'state' | 'country', v: string | undefined) => {
      if (v && !form.getValues(field)) setValue(field, v);
    };
    fill('organization', r.subjectOValue);
    fill('locality', r.subjectLValue);
    fill('state', r.subjectSTValue);
    fill('country', r.subjectCValue);
  }, [template, setValue, form]);

  const outcomeRef = useRef<HTMLDivElement>(null);
  // The body of the last request sent: the same form submitted again after its refusal (a double
  // click, an impatient Enter) would only be refused again, or make a second key for a FAILED one.
  const lastSent = useRef<string | undefined>(undefined);
  const onSubmit = handleSubmit(async (values) => {
    const { body } = validateRequestForm(values, template);
    if (!body) return;
    const sameAgain = lastSent.current === JSON.stringify(body) && (phase.kind === 'error' || (phase.kind === 'done' && phase.record.status !== 'ISSUED'));
    if (sameAgain) {
      outcomeRef.current?.scrollIntoView({ block: 'center' });
      outcomeRef.current?.focus({ preventScroll: true });
      return;
    }
    lastSent.current = JSON.stringify(body);
    const record = await submit(body, { pendingIsFinal: template?.certificateAuthority === 'MANUAL' });
    if (record?.status === 'ISSUED' && record.certificateIds[0]) navigate({ page: 'certificate', id: record.certificateIds[0] });
  });

  // Field errors the satellite reported go next to their fields; the rest above the form.
  useEffect(() => {
    if (phase.kind !== 'error') return;
    const placed = placeServerErrors(form.getValues(), phase.error.fieldErrors());
    for (const p of placed) if (p.field) setError(p.field, { type: 'server', message: p.message });
  }, [phase, form, setError]);

  // Every outcome is shown where the user is: the refusal or result beside the button, focused;
  // refusals that name fields focus the first such field instead.
  useEffect(() => {
    if (phase.kind !== 'done' && phase.kind !== 'error') return;
    const fieldOnly = phase.kind === 'error' && phase.error.generalErrors().length === 0;
    const target = fieldOnly ? document.querySelector<HTMLElement>('form[aria-label="New certificate request"] [aria-invalid="true"]') : outcomeRef.current;
    const element = target ?? outcomeRef.current;
    element?.scrollIntoView({ block: 'center' });
    element?.focus({ preventScroll: true });
  }, [phase]);
  useEffect(() => {
    if (generalErrors.length === 0) return;
    outcomeRef.current?.scrollIntoView({ block: 'center' });
    outcomeRef.current?.focus({ preventScroll: true });
  }, [generalErrors]);

  const startOver = () => {
    form.reset(EMPTY_REQUEST_FORM);
    resetPhase();
    setGeneralErrors([]);
    lastSent.current = undefined;
    window.scrollTo(0, 0);
  };

  const keyGenerationDown = useKeyGenerationDown();

  const busy = phase.kind === 'sending' || phase.kind === 'waiting';
  const keyDescription = keyGeneration === 'SATELLITE' ? describeKeyType(keyType === 'RSA' ? { keyType, keyLength } : { keyType, keyCurve }) : null;
  const loadError = applications.error ?? templates.error ?? serverTypes.error;
  const noApplications = applications.data?.length === 0;

  return (
    <>
      <PageHeader title="New request" description="The satellite makes the key pair and CSR here; only the CSR goes to the CA." />
      {loadError && <ErrorAlert title="Applications and templates could not be loaded" error={loadError} onRetry={() => { applications.reload(); templates.reload(); serverTypes.reload(); }} />}
      {keyGenerationDown !== undefined && (
        <Alert color="red" variant="light" title="The key generation service is inactive" mb="md" data-testid="keygen-inactive">
          No key pair can be made or sealed now{keyGenerationDown ? `: ${inUserWords(keyGenerationDown)}` : ''}.{' '}
          <Anchor href={hrefOf({ page: 'services' })} c="inherit" underline="always" fw={600}>
            Open Services
          </Anchor>{' '}
          for what to do.
        </Alert>
      )}
      {noApplications && (
        <Alert color="blue" variant="light" title="Create an application first" mb="md">
          Requests belong to an application, which names the templates it may use.{' '}
          <Anchor href={hrefOf({ page: 'settings' })}>Open Settings → Applications</Anchor> to create one.
        </Alert>
      )}

      <form onSubmit={onSubmit} noValidate aria-label="New certificate request">
        <Stack gap="md" mt="md">
          <Card>
            <Title order={2} size="h5" mb="sm">
              Where the certificate comes from
            </Title>
            <SimpleGrid cols={{ base: 1, md: 3 }} spacing="sm">
              <Controller
                control={control}
                name="applicationId"
                render={({ field, fieldState }) => (
                  <Select label="Application" placeholder="Choose an application" data={(applications.data ?? []).map((a) => ({ value: a.id, label: a.name }))} value={field.value || null} onChange={(v) => field.onChange(v ?? '')} onBlur={field.onBlur} ref={field.ref} error={fieldState.error?.message} withAsterisk searchable data-testid="request-application" />
                )}
              />
              <Controller
                control={control}
                name="certificateIssuingTemplateId"
                render={({ field, fieldState }) => (
                  <Select
                    label="Template"
                    placeholder={application ? 'Choose a template' : 'Choose an application first'}
                    data={templateOptions}
                    disabled={!application}
                    value={field.value || null}
                    onChange={(v) => field.onChange(v ?? '')}
                    onBlur={field.onBlur}
                    ref={field.ref}
                    error={fieldState.error?.message ?? (application && templateOptions.length === 0 ? 'This application has no template aliases: add one in Settings → Applications' : undefined)}
                    description={template ? `${CA_LABELS[template.certificateAuthority].short} · ${template.keyTypes.map((k) => (k.keyType === 'RSA' ? `RSA ${k.keyLengths.join('/')}` : `EC ${k.keyCurves.map((c) => CURVE_LABEL[c]).join('/')}`)).join(', ')}` : undefined}
                    withAsterisk
                    data-testid="request-template"
                  />
                )}
              />
              <Controller
                control={control}
                name="applicationServerTypeId"
                render={({ field, fieldState }) => (
                  <Select
                    label="Server type"
                    placeholder="Not specified"
                    data={(serverTypes.data ?? []).map((s) => ({ value: s.id, label: `${s.platformName} (${s.keystoreType === 'PKCS12' ? 'PKCS#12' : s.keystoreType})` }))}
                    value={field.value || null}
                    onChange={(v) => field.onChange(v ?? '')}
                    clearable
                    allowDeselect
                    ref={field.ref}
                    error={fieldState.error?.message}
                    description={serverType ? `Keystore downloads default to ${serverType.keystoreType === 'PKCS12' ? 'PKCS#12' : serverType.keystoreType}` : 'Sets the default keystore format for downloads'}
                    data-testid="request-server-type"
                  />
                )}
              />
            </SimpleGrid>
            <Controller
              control={control}
              name="keyGeneration"
              render={({ field }) => (
                <Radio.Group label="Key pair" value={field.value} onChange={(v) => field.onChange(v)} mt="md">
                  <Group mt={6} gap="xl">
                    <Radio value="SATELLITE" label="Key generated by this satellite" disabled={template ? !template.keyGeneratedByVenafiAllowed : false} data-testid="keygen-satellite" />
                    <Radio value="CSR_UPLOAD" label="Upload a CSR" disabled={template ? !template.csrUploadAllowed : false} data-testid="keygen-csr" />
                  </Group>
                </Radio.Group>
              )}
            />
          </Card>

          {keyGeneration === 'SATELLITE' ? (
            <SubjectSection control={control} register={register} errors={errors} country={watch('country')} />
          ) : (
            <CsrSection control={control} />
          )}

          <KeyAndValiditySection control={control} keyGeneration={keyGeneration} keyType={keyType} template={template} limits={limits} validity={validity} />

          {/* The outcome lands beside the button the user just pressed, and takes focus. */}
          <div ref={outcomeRef} tabIndex={-1} data-testid="request-outcome" style={{ outline: 'none' }}>
            {phase.kind === 'done' && phase.record.status === 'PENDING' && <RequestPendingOffline record={phase.record} />}
            {phase.kind === 'done' && phase.record.status !== 'ISSUED' && phase.record.status !== 'PENDING' && <RequestRefused record={phase.record} />}
            {phase.kind === 'error' && (
              <ErrorAlert
                title="The request was not accepted"
                items={phase.error.generalErrors().length ? phase.error.generalErrors() : [{ code: 0, message: 'Correct the highlighted fields, then submit again.' }]}
              />
            )}
            {generalErrors.length > 0 && <ErrorAlert title="Check the request" items={generalErrors.map((message) => ({ code: 0, message }))} />}
          </div>
          {busy ? (
            <RequestProgress phase={phase.kind} keyDescription={keyDescription} caName={template ? (template.certificateAuthority === 'BUILTIN' ? 'the built-in CA' : template.certificateAuthority === 'MANUAL' ? 'the CSR' : `the ${template.certificateAuthority} CA`) : 'the CA'} />
          ) : (
            <Group justify="flex-end">
              <Button variant="default" onClick={startOver}>
                Clear form
              </Button>
              {phase.kind === 'done' && phase.record.status === 'PENDING' ? (
                // The key pair exists and waits for its certificate: submitting again would make another.
                <Button onClick={startOver} data-testid="new-request-again">
                  Make another request
                </Button>
              ) : (
                <Button type="submit" data-testid="submit-request" disabled={noApplications || keyGenerationDown !== undefined} title={keyGenerationDown !== undefined ? 'The key generation service is inactive: see Services' : undefined}>
                  Submit request
                </Button>
              )}
            </Group>
          )}
        </Stack>
      </form>
    </>
  );
}
