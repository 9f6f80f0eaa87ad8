import type { SVGProps } from 'react';

// A handful of 16px stroke icons; decorative, so hidden from assistive tech.
function Icon({ d, ...props }: SVGProps<SVGSVGElement> & { d: string }) {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false" {...props}>
      <path d={d} />
    </svg>
  );
}

export const CertificateIcon = () => <Icon d="M4 4h16v12H4zM8 8h8M8 12h5M9 16l-1 5 4-2 4 2-1-5" />;
export const PlusIcon = () => <Icon d="M12 5v14M5 12h14" />;
export const ServerIcon = () => <Icon d="M4 4h16v6H4zM4 14h16v6H4zM8 7h.01M8 17h.01" />;
export const SettingsIcon = () => <Icon d="M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z" />;
export const SearchIcon = () => <Icon d="M11 19a8 8 0 1 0 0-16 8 8 0 0 0 0 16zM21 21l-4.3-4.3" />;
export const DownloadIcon = () => <Icon d="M12 3v12M7 10l5 5 5-5M5 21h14" />;
export const CopyIcon = () => <Icon d="M9 9h11v11H9zM5 15H4V4h11v1" />;
export const TrashIcon = () => <Icon d="M3 6h18M8 6V4h8v2M6 6l1 14h10l1-14" />;
export const RefreshIcon = () => <Icon d="M21 12a9 9 0 1 1-3-6.7L21 8M21 3v5h-5" />;
export const KeyIcon = () => <Icon d="M15 7a4 4 0 1 1-3.9 5H3v3h3v3h3v-3h2.1A4 4 0 0 1 15 7z" />;
export const ShieldIcon = () => <Icon d="M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z" />;
export const BackIcon = () => <Icon d="M15 18l-6-6 6-6" />;
export const EyeIcon = () => <Icon d="M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12zM12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z" />;
export const InboxIcon = () => <Icon d="M3 13h5l1 3h6l1-3h5M5 5h14l2 8v6H3v-6z" />;
export const UploadIcon = () => <Icon d="M12 21V9M7 14l5-5 5 5M5 3h14" />;
